import { createFakeBackend } from '../../../src/datapath/firewall';
import { firewallBackendCompliance } from '../../support/firewall-compliance';

firewallBackendCompliance('fake', async () => createFakeBackend());
