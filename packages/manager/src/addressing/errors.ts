import { ManagerError } from '../errors';

export class AddressingError extends ManagerError {
  readonly code = 'PP_ERR_ADDRESSING';
}

export class PoolExhaustedError extends ManagerError {
  readonly code = 'PP_ERR_SUBNET_EXHAUSTED';
}
