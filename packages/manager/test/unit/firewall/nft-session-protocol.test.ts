import { sentinelCommand, takeBatch } from '../../../src/datapath/firewall/nft/session-protocol';

const sentinelError = (seq: number) =>
  `Error: syntax error, unexpected newline, expecting string\n${sentinelCommand(seq)}\n             ^\n`;

describe('the nft -i session framing', () => {
  test('a batch that worked: its echoed output, and what follows stays for the next batch', () => {
    const echoed =
      'add rule inet patchpanel pp_filter_FORWARD jump pp_filter_ns0_FORWARD comment "pp:ns0" # handle 7\n' +
      '# new generation 5 by process 42 (nft)\n';
    const taken = takeBatch(`${echoed}${sentinelError(3)}next`, 3);
    expect(taken?.result).toEqual({ ok: true, output: echoed.trimEnd() });
    expect(taken?.rest).toBe('next');
  });

  test('a batch that failed: every error with its command', () => {
    const failed =
      'Error: Could not process rule: No such file or directory\nadd rule inet patchpanel nosuch accept\n' +
      '                 ^^^^^^\n';
    expect(takeBatch(`${failed}${sentinelError(4)}`, 4)?.result).toEqual({
      ok: false,
      errors: [
        'Could not process rule: No such file or directory in: add rule inet patchpanel nosuch accept',
      ],
    });
  });

  test('incomplete: no sentinel yet, the sentinel of another batch, or its caret line not ended', () => {
    expect(takeBatch('add table inet patchpanel # handle 1\n', 1)).toBeUndefined();
    expect(takeBatch(sentinelError(2), 1)).toBeUndefined();
    expect(takeBatch(sentinelError(5).slice(0, -1), 5)).toBeUndefined();
    expect(takeBatch(sentinelError(6), 6)?.result).toEqual({ ok: true, output: '' });
  });
});
