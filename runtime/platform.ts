// The runtime's window on the host environment (files, terminal, clock), via host/select.
import { platform } from '../host/select';

export const { env, hasFileSystem, readFile, writeFile, appendFile, removeFile, makeDir, writeOut, isTTY, now } = platform;
