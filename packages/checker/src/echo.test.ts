import { describe, expect, it } from 'vitest';
import { echo } from './echo';
import { hist } from './test-history';

describe('echo', () => {
  it('is valid when every echo comes back ok with the same value', () => {
    const h = hist(
      [0, 'invoke', 'echo', 'Please echo 1'],
      [1, 'invoke', 'echo', 'Please echo 2'],
      [1, 'ok', 'echo', { type: 'echo_ok', echo: 'Please echo 2', in_reply_to: 1, msg_id: 7 }],
      [0, 'ok', 'echo', { type: 'echo_ok', echo: 'Please echo 1', in_reply_to: 1 }],
      ['nemesis', 'invoke', 'start-partition', null],
    );
    expect(echo(h)).toEqual({ valid: true, errors: [] });
  });

  it('reports a mismatch with the whole response body', () => {
    const body = { type: 'echo_ok', echo: 'Please echo 3', in_reply_to: 1 };
    const h = hist([0, 'invoke', 'echo', 'Please echo 2'], [0, 'ok', 'echo', body]);
    expect(echo(h)).toEqual({ valid: false, errors: [['Expected a message with :echo', 'Please echo 2', 'But received', body]] });
  });

  it('reports every echo that did not come back ok', () => {
    const h = hist(
      [0, 'invoke', 'echo', 'Please echo 5'],
      [0, 'fail', 'echo', 'Please echo 5', 1, { error: [1, 'not supported'] }],
      [1, 'invoke', 'echo', 'Please echo 6'],
      [1, 'info', 'echo', 'Please echo 6', 3, { error: 'net-timeout' }],
      [2, 'invoke', 'echo', 'Please echo 7'],
    );
    expect(echo(h)).toEqual({
      valid: false,
      errors: [
        ['Expected a message with :echo', 'Please echo 5', 'But received', 'Please echo 5'],
        ['Expected a message with :echo', 'Please echo 6', 'But received', 'Please echo 6'],
        ['Expected a message with :echo', 'Please echo 7', 'But received', null],
      ],
    });
  });

  it('compares with Clojure equality (1 differs from 1.0)', async () => {
    const { JsonFloat } = await import('@gyre/history');
    const h = hist([0, 'invoke', 'echo', 1], [0, 'ok', 'echo', { type: 'echo_ok', echo: new JsonFloat(1) }]);
    expect(echo(h).valid).toBe(false);
    const big = hist([0, 'invoke', 'echo', 2n ** 70n], [0, 'ok', 'echo', { type: 'echo_ok', echo: 2n ** 70n }]);
    expect(echo(big).valid).toBe(true);
  });
});
