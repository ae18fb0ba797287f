import { createFakeBackend } from '../../../src/datapath/firewall';
import { firewallCompliance, transactionRig } from '../../support/firewall-compliance';

firewallCompliance('fake', async () => transactionRig(createFakeBackend()));
