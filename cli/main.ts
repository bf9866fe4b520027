// The `kerasm` command: one subcommand per file in cli/commands/.
import { commandHelp, parseCommand, UsageError, type Command } from './command';
import { demoCommand } from './commands/demo';
import { evaluate } from './commands/evaluate';
import { info } from './commands/info';
import { plot } from './commands/plot';
import { predict } from './commands/predict';
import { summary } from './commands/summary';
import { train } from './commands/train';
import { VERSION } from './version';

const COMMANDS: Command[] = [train, evaluate, predict, summary, plot, demoCommand, info];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`);
  return `kerasm ${VERSION}: Keras for the edge\n\nUsage: kerasm <command> [options]\n\nCommands:\n${lines.join('\n')}\n\n` +
    `Run 'kerasm <command> --help' for its options. KERASM_DEBUG=1 shows stack traces.\n`;
}

/** Runs the CLI; resolves to the exit code (0 ok, 1 failed while running, 2 usage error). */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  // no command is a usage error: the help goes to stderr, with exit code 2
  if (name === undefined) return process.stderr.write(help()), 2;
  if (name === '--help' || name === '-h' || name === 'help') return process.stdout.write(help()), 0;
  if (name === '--version' || name === '-v') return console.log(VERSION), 0;
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) return fail(new UsageError(`unknown command '${name}' (commands: ${COMMANDS.map((c) => c.name).join(', ')})`));
  try {
    const { values, positionals, help } = parseCommand(cmd, rest);
    if (help) return process.stdout.write(commandHelp(cmd)), 0;
    await cmd.run(values, positionals);
    return 0;
  } catch (e) {
    return fail(e as Error, cmd);
  }
}

/** One line on stderr (the stack too with KERASM_DEBUG=1); the exit code for the error's kind. */
function fail(e: Error, cmd?: Command): number {
  const debug = process.env.KERASM_DEBUG === '1';
  if (e instanceof UsageError) {
    const where = cmd ? `kerasm ${cmd.name}` : 'kerasm';
    console.error(`${where}: ${e.message} (see '${where} --help')`);
    if (debug) console.error(e.stack);
    return 2;
  }
  const msg = e?.message ?? String(e);
  console.error(debug ? e.stack ?? msg : msg.startsWith('kerasm') ? msg : `kerasm: ${msg}`);
  return 1;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
