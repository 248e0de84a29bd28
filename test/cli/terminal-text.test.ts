import { describe, expect, it } from 'vitest';
import { terminalText } from '../../src/cli/terminal-text.js';

describe('terminalText', () => {
  it('shows every control character but the newline as \\xHH', () => {
    expect(terminalText('a\u001b[41mred\u0007\r\tb\nc\u007f\u009b')).toBe('a\\x1b[41mred\\x07\\x0d\\x09b\nc\\x7f\\x9b');
  });

  it('leaves other text alone', () => {
    expect(terminalText('todo.cli.invoked ×3 — ok ✓')).toBe('todo.cli.invoked ×3 — ok ✓');
  });
});
