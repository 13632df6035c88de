import { createInterface } from 'node:readline';
import { isBridgeError } from '../errors';
import { loadQuestionnaireFile } from '../questionnaire/load';
import { Simulation, type TranscriptLine, formatHuman } from './simulate-core';

/**
 * `npm run simulate -- <questionnaire-file> [--json]`: a text-mode call. The caller's turns come
 * from stdin, one per line (text = speech, `#123#` = keypad, empty = silence, EOF = hang-up).
 * Exit 0 when the simulation ran, 2 when the questionnaire is invalid or the usage is wrong.
 */
async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const files = argv.filter((a) => !a.startsWith('--'));
  if (files.length !== 1) {
    process.stderr.write('usage: npm run simulate -- <questionnaire-file> [--json]\n');
    return 2;
  }
  let definition: ReturnType<typeof loadQuestionnaireFile>['definition'];
  try {
    definition = loadQuestionnaireFile(files[0]!).definition;
  } catch (error) {
    if (isBridgeError(error)) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const print = (lines: TranscriptLine[]) => {
    for (const line of lines) {
      if (!json) process.stdout.write(`${formatHuman(line)}\n`);
      else if (line.type !== 'caller') process.stdout.write(`${JSON.stringify(line)}\n`);
    }
  };
  const sim = new Simulation(definition);
  print(sim.start());
  const input = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of input) {
    print(sim.feed(line));
    if (sim.ended) break;
  }
  input.close();
  print(sim.hangUp());
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`simulate failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
