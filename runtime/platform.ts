// The runtime's window on the host environment (files, terminal, clock), via host/select.
import { platform } from '../host/select';

export const { env, hasFileSystem, readFile, writeOut, isTTY, now } = platform;
