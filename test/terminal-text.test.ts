import { describe, expect, it } from 'vitest';
import { terminalText, terminalValue } from '../src/terminal-text.js';

describe('terminalValue', () => {
  it('shows every control character, the newline too, as \\xHH and bidi controls as \\uHHHH', () => {
    expect(terminalValue('a\u001b[41mred\u0007\r\tb\nc\u007f\u009b')).toBe('a\\x1b[41mred\\x07\\x0d\\x09b\\x0ac\\x7f\\x9b');
    expect(terminalValue('evil\u202etxt.exe\u2066x\u2069')).toBe('evil\\u202etxt.exe\\u2066x\\u2069');
  });

  it('leaves other text alone', () => {
    expect(terminalValue('todo.cli.invoked ×3 — ok ✓ مرحبا')).toBe('todo.cli.invoked ×3 — ok ✓ مرحبا');
  });
});

describe('terminalText', () => {
  it('keeps the newlines of several lines and shows every other control character', () => {
    expect(terminalText('a\u001b[41mred\u0007\r\tb\nc\u007f\u009b\u202e')).toBe('a\\x1b[41mred\\x07\\x0d\\x09b\nc\\x7f\\x9b\\u202e');
  });
});
