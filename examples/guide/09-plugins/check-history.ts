/**
 * The checkers on their own, on histories from your own system (no Gyre run, no nodes): one op
 * per line, invocations and completions, as JSON.
 *
 *   node examples/dist/guide/09-plugins/check-history.js examples/guide/09-plugins/register-history.jsonl examples/guide/09-plugins/orders-history.jsonl
 */
// #region check
import { readFileSync } from 'node:fs';
import { linearizable, models } from '@gyre/checker';
import { checkListAppend } from '@gyre/checker/elle';
import { parseJson, type Op } from '@gyre/history';

for (const file of process.argv.slice(2)) {
  const history = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => parseJson(line) as unknown as Op);

  if (history.some((op) => op.f === 'txn')) {
    const result = checkListAppend(history, { consistencyModels: ['serializable'] });
    console.log(`${file}: serializable? ${result.valid}`);
    if (result.valid !== true) console.log(`  anomalies: ${result.anomalyTypes?.join(', ')}; not ${result.not?.join(', ')}`);
  } else {
    const result = linearizable(history, { model: models.casRegister() });
    console.log(`${file}: linearizable? ${result.valid}`);
    if (result.failure) console.log(`  ${result.failure.explanation}`);
  }
}
// #endregion
