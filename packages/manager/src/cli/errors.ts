import { ManagerError } from '../errors';

/** The command line is wrong; nothing was sent to the daemon. The CLI exits 2. */
export class CliUsageError extends ManagerError {
  readonly code = 'PP_ERR_CLI_USAGE';
}

/** The bus could not be reached (no socket, refused connection, bad address). */
export class CliBusError extends ManagerError {
  readonly code = 'PP_ERR_CLI_BUS';
}
