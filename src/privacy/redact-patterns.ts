/**
 * The pattern table behind `redact()`. Every regex is compiled once at module load and is shaped so
 * that each character can be consumed in only one way (no nested quantifiers over overlapping
 * classes), and most start only where a lookbehind says a token begins, so matching stays linear.
 */
import { IPV4, ibanLength, isCardNumber, isPlausibleIpv6 } from './redact-checks.js';

/** Kinds of sensitive value the redactor recognises; each is replaced by the placeholder `<kind>`. */
export type RedactionKind =
  | 'private-key' | 'jwt' | 'url' | 'api-key' | 'token' | 'secret' | 'email'
  | 'path' | 'ipv6' | 'mac' | 'ipv4' | 'iban' | 'card' | 'ssn' | 'phone' | 'hostname';

/** One rule: `hint` is a cheap necessary condition for `pattern` (global) to match at all. */
export interface Rule {
  readonly kind: RedactionKind;
  readonly hint: RegExp;
  readonly pattern: RegExp;
  /** Maps one match (and its capture groups) to its replacement; returning `match` keeps it. Default: `<kind>`. */
  readonly replace?: (match: string, groups: readonly (string | undefined)[]) => string;
}

/** Cheap gate: a string with none of these cannot match any rule, so it is returned untouched. */
export const PRECHECK = /[\d@:/\\~%=.$_-]|AKIA|ASIA|AIza|SK[0-9a-f]|bearer|basic|digest|authorization|[([{]\s?at\s?[)\]}]/i;

/** Letters (with their combining marks) and digits of any script, for names (paths, emails) that are not ASCII. */
const NAME = String.raw`\p{L}\p{M}\p{N}`;

const KIND_NAMES = 'private-key|jwt|url|api-key|token|secret|email|path|ipv6|mac|ipv4|iban|card|ssn|phone|hostname';
const PLACEHOLDER = new RegExp(`^<(?:${KIND_NAMES}|redacted)>$`);

/** True when `s` is already one of our placeholders (keeps redaction idempotent and specific kinds intact). */
const isPlaceholder = (s: string): boolean => PLACEHOLDER.test(s);

// Stop characters for "up to whitespace/quote" (also `<>` so placeholders are never swallowed).
const STOP = '\\s"\'`<>';
const RUN = `[^${STOP}]`;
// Trailing punctuation (and `:line:col` for paths) belongs to the sentence/stack frame, not the value.
const PUNCT_TAIL = /[.,;:!?)\]}]{0,8}$/;
const PATH_TAIL = /(?::\d{1,9}){0,2}[.,;:!?)\]}]{0,8}$/;

/** Splits `m` into [value, trailing punctuation]; bounded quantifiers keep this linear. */
function splitTail(m: string, tail: RegExp): [string, string] {
  const cut = tail.exec(m)?.index ?? m.length;
  return [m.slice(0, cut), m.slice(cut)];
}

// URL query/fragment parameters whose value is a credential; short or ambiguous names must match exactly.
const SENSITIVE_PARAM =
  /[?&#;](?:(?:[\w.-]*[_-])?(?:token|key|secret|signature|password|passwd|credential)|apikey|sig|pwd|pass|auth|code|jwt|session(?:[_-]?id)?)=[^&#;]/i;
// One URL: a scheme that starts a word, then everything up to whitespace (linear).
const ONE_URL = String.raw`(?<![\w+.-])[A-Za-z][\w+.-]{0,30}:\/\/${RUN}+`;
const URL_USERINFO = /^[^:]*:\/\/[^/?#@]*@/;
// The part of a URL before its path, when the URL reaches a machine's files (sftp, scp, smb, nfs,
// rsync, WebDAV, HDFS, vscode-remote, an editor's `://file`) or, for any other scheme but the web's,
// a home directory (`ssh://build01/home/alice/repo.git`), and the path has two segments or more
// (`smb://nas/share` keeps its one). Other paths name public things as often as not
// (`ssh://github.com/org/repo.git`, `s3://bucket/releases/x`).
const FILE_URL_HEAD = new RegExp(
  String.raw`^(?:(?:sftp|scp|smb|cifs|nfs|afp|rsync|davs?|webdavs?|hdfs|vscode-remote|vscode-vfs):\/\/[^/?#]*` +
    String.raw`|(?:vscode|vscode-insiders|vscodium|cursor|windsurf):\/\/(?:file|vscode-remote)` +
    String.raw`|(?!(?:[a-z][\w.-]*\+)?(?:https?|wss?):)[a-z][\w+.-]*:\/\/[^/?#]*(?=\/+(?:~|(?:home|Users|user)\/[^/?#])))` +
    String.raw`(?=\/+[^/?#]+\/[^/?#])`,
  'i',
);
const SECRET_PATH_URL = /^https?:\/\/(?:hooks\.slack\.com\/services|discord(?:app)?\.com\/api\/webhooks)\//i;

// A spelled-out address whose last dot leads to a file extension rather than a top-level domain.
// Extensions that are also top-level domains (.rs, .md, .sh, .py, .cc, .zip) are left out: there an address wins.
const SPELLED_FILE = /\.(?:[cm]?[jt]sx?|json|go|rb|java|kt|c|h|cpp|cs|php|txt|log|ya?ml|toml|ini|cfg|conf|lock|xml|html?|css|build|gradle|swift|vue|gz|tgz)$/i;

// Keys whose value is a secret. Long stems may carry any prefix (PGPASSWORD, clientSecret); short ones
// need a separator (DB_PASS, npm_auth) so `bypass=`/`oauth=` are not hit. Key must END at the stem.
const SECRET_KEY = String.raw`[\w-]*(?:password|passwd|passphrase|secret|token|credentials?|session[_-]?(?:id|token|key)|sessionid|cookie|(?:api|access|secret|private|signing|encryption|master|client|auth|account)[_-]?key)|(?:[\w-]*[_-])?(?:pwd|pass|auth|sid)`;
const BENIGN_VALUE = /^(?:true|false|null|nil|none|undefined|yes|no|\*+)$/i;
const AUTH_SCHEME = /^(?:bearer|basic|digest|token|bot|negotiate|ntlm)$/i;

/** A header credential, not an English word: 8+ chars with a digit, `+/=_~`, or an inner capital. */
const looksLikeCredential = (s: string): boolean => s.length >= 8 && /[\d+/=_~]|.[A-Z]/.test(s);

/** A match `m` ending in a credential `value` (quoted or not) with the value replaced; empty, benign or already redacted values stay. */
function secretReplaced(m: string, value: string): string {
  const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
  const inner = quote ? value.slice(1, -1) : value;
  if (inner === '' || isPlaceholder(inner) || BENIGN_VALUE.test(inner)) return m;
  return `${m.slice(0, m.length - value.length)}${quote}<secret>${quote}`;
}

/** The rules, applied in order: longer / more specific shapes first so none is partially eaten by another. */
export const RULES: readonly Rule[] = [
  {
    // PEM armour is unambiguous; an unterminated block runs to the end of the string.
    kind: 'private-key',
    hint: /-----BEGIN/,
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  },
  {
    // file:// URLs are local paths, so they count as paths, whole.
    kind: 'path',
    hint: /file:/i,
    pattern: new RegExp(String.raw`(?<![\w+.-])file:\/\/${RUN}*`, 'gi'),
    replace: (m) => { const [, tail] = splitTail(m, PUNCT_TAIL); return `<path>${tail}`; },
  },
  {
    // Other schemes that reach files name a path as file:// does (`vscode-remote://wsl+Ubuntu/home/alice`,
    // `smb://nas/share/alice`): the path goes, the host stays for the rules below. A URL with
    // userinfo or a credential parameter is left to the next rule, which replaces it whole.
    kind: 'path',
    hint: /:\/\//,
    pattern: new RegExp(ONE_URL, 'g'),
    replace: (m) => {
      const [url, tail] = splitTail(m, PATH_TAIL);
      const head = URL_USERINFO.test(url) || SENSITIVE_PARAM.test(url) ? undefined : FILE_URL_HEAD.exec(url)?.[0];
      return head === undefined ? m : `${head}<path>${tail}`;
    },
  },
  {
    // Match every URL (linear: one match runs to whitespace), then replace the WHOLE URL only if it
    // carries userinfo, a credential-named query/fragment parameter, or is a secret-in-path webhook.
    // Runs before JWTs so `?id_token=eyJ…` is not split into `<url><jwt>`.
    kind: 'url',
    hint: /:\/\//,
    pattern: new RegExp(ONE_URL, 'g'),
    replace: (m) => {
      const [url, tail] = splitTail(m, PUNCT_TAIL);
      const sensitive = URL_USERINFO.test(url) || SENSITIVE_PARAM.test(url) || SECRET_PATH_URL.test(url);
      return sensitive ? `<url>${tail}` : m;
    },
  },
  {
    // A network path with credentials but no scheme (`//alice:pw@10.0.0.5/share`, as mount and
    // smbclient take them): replaced whole, like a URL with userinfo.
    kind: 'url',
    hint: /\/\/[^\s/@]*@/,
    pattern: new RegExp(String.raw`(?<![:/])\/\/[^${STOP}/@:]+:[^${STOP}/@]*@${RUN}*`, 'g'),
    replace: (m) => { const [, tail] = splitTail(m, PUNCT_TAIL); return `<url>${tail}`; },
  },
  {
    // Header `{"` base64url-encodes to `eyJ`; three dot-separated segments (signature may be empty).
    kind: 'jwt',
    hint: /eyJ/,
    pattern: /(?<![\w-])eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g,
  },
  {
    // Vendor prefixes plus the vendor's real minimum length, bounded on both sides by non-key chars.
    kind: 'api-key',
    hint: /sk-|[sprk]k_(?:live|test)_|gh[pousr]_|github_pat_|AKIA|ASIA|AIza|xox[abcdeoprs]-|xapp-|npm_|glpat-|hf_|SG\.|SK[0-9a-f]|shp(?:at|ss|ca|pa)_|dop_v1_|pypi-|gsk_|ya29\.|whsec_|\d:[\w-]{30}/,
    pattern: new RegExp(
      String.raw`(?<![\w-])(?:` +
        [
          String.raw`sk-(?:ant-|proj-|svcacct-|admin-)?[A-Za-z0-9][\w-]{19,}`, // OpenAI / Anthropic
          String.raw`[spr]k_(?:live|test)_[A-Za-z0-9]{16,}`, // Stripe
          String.raw`gh[pousr]_[A-Za-z0-9]{30,}`, // GitHub classic (36 chars)
          String.raw`github_pat_\w{22,}`, // GitHub fine-grained
          String.raw`(?:AKIA|ASIA)[A-Z0-9]{16}`, // AWS access key id
          String.raw`AIza[\w-]{35}`, // Google
          // Slack (bot, user, app, client, cookie, refresh, rotated `xoxe.xoxp-`); a digit sets it apart from `xoxo-`.
          String.raw`(?:xoxe\.)?xox[abcdeprs]-(?=[A-Za-z%+/=-]{0,40}\d)[A-Za-z0-9%+/=-]{10,}`,
          // Slack's legacy `xoxo-` tokens have their own shape (three numbers, then hex): not the word `xoxo-…`.
          String.raw`xoxo-\d+-\d+-\d+-[A-Fa-f0-9]{8,}`,
          String.raw`npm_[A-Za-z0-9]{36}`, // npm
          String.raw`glpat-[\w-]{20,}`, // GitLab
          String.raw`hf_[A-Za-z0-9]{30,}`, // Hugging Face
          String.raw`SG\.[\w-]{16,}\.[\w-]{30,}`, // SendGrid
          String.raw`SK[0-9a-f]{32}`, // Twilio API key sid
          String.raw`xapp-[\w-]{20,}`, // Slack app-level
          String.raw`shp(?:at|ss|ca|pa)_[A-Fa-f0-9]{32}`, // Shopify
          String.raw`dop_v1_[a-f0-9]{64}`, // DigitalOcean
          String.raw`pypi-[\w-]{50,}`, // PyPI
          String.raw`gsk_[A-Za-z0-9]{40,}`, // Groq
          String.raw`ya29\.[\w-]{20,}`, // Google OAuth access token
          String.raw`whsec_[A-Za-z0-9+/=]{24,}`, // Stripe / Svix webhook secret
          String.raw`bot\d{6,10}:[\w-]{30,}|\d{8,10}:[\w-]{35}`, // Telegram bot token (in /bot<token>/ URLs, or bare)
        ].join('|') +
        // A following letter or digit means a longer word; `_` or `-` (ghp_…_old) does not save the key.
        String.raw`)(?![A-Za-z0-9])`,
      'g',
    ),
  },
  {
    // `Authorization: <scheme> <cred>` — keep header and scheme word, replace only the credential.
    kind: 'token',
    hint: /authorization/i,
    pattern: /\b(authorization["']?\s*[:=]\s*["']?)(?:(bearer|basic|digest|token|bot|negotiate|ntlm)(\s+))?([^\s"',;]+)/gi,
    replace: (m, [prefix = '', scheme, space = '', cred = '']) => {
      if (isPlaceholder(cred) || (!scheme && AUTH_SCHEME.test(cred))) return m;
      return `${prefix}${scheme ? scheme + space : ''}<token>`;
    },
  },
  {
    // Bare `Bearer x` / `Basic x` outside a header; the credential heuristic spares prose ("Basic usage").
    kind: 'token',
    hint: /bearer|basic/i,
    pattern: /\b(bearer|basic)(\s+)([\w.~+/=-]*[\w~+/=-])/gi,
    replace: (m, [scheme = '', space = '', cred = '']) =>
      looksLikeCredential(cred) ? `${scheme}${space}<token>` : m,
  },
  {
    // `key=value`, `key: value`, `"key": "value"` for credential-named keys; keeps key and quotes.
    kind: 'secret',
    hint: /[:=]/,
    pattern: new RegExp(
      String.raw`(?<![\w-])(["']?)(?:${SECRET_KEY})\1(\s*[:=]\s*)("[^"\n]*"|'[^'\n]*'|[^\s"',;&}=>:][^\s"',;&}]*)`,
      'gi',
    ),
    replace: (m, [, , value = '']) => secretReplaced(m, value),
  },
  {
    // A credential given as a command-line option's next word (`--password hunter2`, `--token x`),
    // or curl's `-u user:password` (both parts go: the user name is personal too).
    kind: 'secret',
    hint: /-[\w-]/,
    pattern: new RegExp(
      String.raw`(?<![\w-])(?:--?(?:${SECRET_KEY})[ \t]+|(?:-u|--user)[ \t]+(?=[^\s:]+:)(?!\d+:\d+(?![^\s])))("[^"\n]*"|'[^'\n]*'|[^\s"'-][^\s"',;)\]}]*)`,
      'gi',
    ),
    replace: (m, [value = '']) => secretReplaced(m, value),
  },
  {
    // Local part bounded to 64 chars and must start a token; dotted domain with an alphabetic TLD;
    // letters of any script (müller@bücher.de); a quoted local part too ("alice smith"@x.com).
    kind: 'email',
    hint: /@/,
    pattern: new RegExp(
      String.raw`(?:(?<![${NAME}_.+%-])[${NAME}_.%+-]{1,64}|"[^"\n]{1,64}")@(?:[${NAME}-]{1,63}\.)+\p{L}{2,24}(?![${NAME}_-])`,
      'gu',
    ),
  },
  {
    // The same spelled out to dodge scrapers: `alice(at)example.com`, `alice [at] example [dot] com`.
    kind: 'email',
    hint: /[([{]\s?at\s?[)\]}]/i,
    pattern: new RegExp(
      String.raw`(?<![${NAME}_.+%-])[${NAME}_.%+-]{1,64}\s?[([{]\s?at\s?[)\]}]\s?(?:[${NAME}-]{1,63}(?:\.|\s?[([{]\s?dot\s?[)\]}]\s?))+\p{L}{2,24}(?![${NAME}_-])`,
      'giu',
    ),
    // `Error [at] index.js`: a file, not a domain (an address spelled out spells out its dots too, or ends in a real TLD).
    replace: (m) => (SPELLED_FILE.test(m) ? m : '<email>'),
  },
  {
    // Absolute paths only; relative ones (src/x, ./x) never start after a word char, `.` or `/` —
    // except glued to a short option, a redirection or an address (`-I/home/alice/include`). A path runs on across
    // spaces up to the next word with a separator (`C:\Users\Ana María López\AppData`,
    // `/home/alice/My Documents/plan.md`) or up to a closing quote (`'C:\Users\John Smith'`).
    kind: 'path',
    hint: /[/\\~%$]/,
    pattern: new RegExp(
      '(?:' +
        [
          String.raw`(?<![\w./~\\>-])\/[${NAME}_.@+-]+\/${RUN}+`, // POSIX, at least two segments
          // Glued to a short option, a shell redirection, an IPv4 address or a word's closing `-`/`_`
          // (a word of its own, not a URL's segment): -I/usr/x, >/home/x, 10.0.0.5/home/x, acli-/home/alice/x.
          String.raw`(?<=(?:^|[\s"'=])(?:-[A-Za-z]|\d?>>?)|(?:^|[^\w.])(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?|(?:^|[\s"'=(])[${NAME}][${NAME}.]*[-_])\/[${NAME}_.@+-]+\/${RUN}+`,
          String.raw`(?<![\w~/\\.-])~[\w.-]{0,32}\/${RUN}*`, // ~/x, ~alice/x
          String.raw`(?<!\w)[A-Za-z]:[\\/]+[^${STOP}\\/]${RUN}*`, // C:\Users\x, C:/Users/x
          // \\server\share\x, JSON-escaped \\\\server\\share, \\.\pipe\x, \\?\C:\x (a device name, not `\\.\d+` of an escaped regex)
          String.raw`(?<![\w\\])(?:\\\\){1,2}(?:[\w.$-]{2,}\\|[.?]\\+(?=[A-Za-z]{2}|[A-Za-z]:))${RUN}*`,
          // //10.0.0.5/share/x; not //name/x, which is as often a build label (Bazel's //src/main:app) or a comment
          String.raw`(?<![\w:/\\.-])\/\/(?:\d{1,3}\.){3}\d{1,3}\/[^${STOP}/]${RUN}*`,
          String.raw`(?<![\w\\/.])\\[${NAME}_.$-]{2,}\\${RUN}+`, // \Users\alice\x (rooted, no drive)
          String.raw`%[A-Za-z_]\w{0,40}%[\\/]${RUN}*`, // %USERPROFILE%\x
          String.raw`\$(?:\{?HOME\}?|env:[A-Za-z_]\w{0,40})[\\/]${RUN}*`, // $HOME/x, $env:USERPROFILE\x
        ].join('|') +
        String.raw`)(?:(?: [^${STOP}\\/]+)+(?:[\\/]${RUN}*|(?=["'\x60])))*`,
      'gu',
    ),
    replace: (m) => { const [, tail] = splitTail(m, PATH_TAIL); return `<path>${tail}`; },
  },
  {
    // Candidate = one run of hex/colon/dot holding a colon (first `:` is fixed, so no ambiguity),
    // then a real parser decides; must not touch a word before it (`std::string`, `T12:34:56`).
    kind: 'ipv6',
    hint: /[0-9A-Fa-f:]:[0-9A-Fa-f:]/,
    pattern: /(?<![\w:.%])[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(?:%[\w.-]+)?(?![\w:%])/g,
    replace: (m) => {
      let end = m.length;
      while (end > 0 && m[end - 1] === '.') end--; // sentence-final dots
      return isPlausibleIpv6(m.slice(0, end)) ? `<ipv6>${m.slice(end)}` : m;
    },
  },
  {
    // Six 2-hex groups with one consistent separator, or Cisco's three 4-hex groups.
    kind: 'mac',
    hint: /[0-9A-Fa-f]{2}[:-][0-9A-Fa-f]{2}|[0-9A-Fa-f]{4}\./,
    pattern: /(?<![\w:.-])(?:[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![\w:-]|\.[0-9A-Fa-f])/g,
  },
  {
    // Four valid octets, not part of a longer dotted number (`v1.2.3.4`, `1.2.3.4.5`).
    kind: 'ipv4',
    hint: /\d\.\d/,
    pattern: new RegExp(String.raw`(?<![\w.])${IPV4}(?!\w|\.\d)`, 'g'),
  },
  {
    // Country, check digits, then the account (in groups of four when spaced); the country's length
    // and the mod-97 checksum decide. Before cards and phones, which would take a spaced one's digits.
    kind: 'iban',
    hint: /[A-Za-z]{2}\d\d/,
    // Lower case only when spaced: unspaced, a lower-case hex or base-36 id would pass 1 time in 97.
    pattern: /(?<![\w-])(?:[A-Z]{2}\d\d[A-Z0-9]{11,30}|[A-Za-z]{2}\d\d(?: [A-Za-z0-9]{4}){2,7}(?: [A-Za-z0-9]{1,3})?)(?![\w-])/g,
    // Spaced groups may run on past the account (`… 7034 USED`, `… 2024`): only the IBAN goes.
    replace: (m) => {
      const length = ibanLength(m);
      return length > 0 ? `<iban>${m.slice(length)}` : m;
    },
  },
  {
    // 13–19 digits with optional single space/dash separators; Luhn + network prefix decide. Not with
    // dots or underscores: one dotted 4-4-4-4 build number in ten passes Luhn (`2024.0115.0009.0001`).
    kind: 'card',
    hint: /\d/,
    pattern: /(?<![\w+-]|\d[ -])[2-6](?:[ -]?\d){12,18}(?!\w|[ -]\d)/g,
    replace: (m) => (isCardNumber(m) ? '<card>' : m),
  },
  {
    // A US social security number only as written, 3-2-4 with dashes, and only with numbers the SSA
    // issues (no area 000, 666 or 9xx, no group 00, no serial 0000).
    kind: 'ssn',
    hint: /\d-\d\d-\d/,
    pattern: /(?<![\w.-])(?!000|666|9)\d{3}-(?!00)\d\d-(?!0000)\d{4}(?![\w-]|\.\d)/g,
  },
  {
    // `+` international (8–15 digits), or `00` international and trunk-0 national numbers with a
    // separator (0044 7700 900123, 07700 900123, 0151 12345678), or NANP with mandatory separators:
    // dates, times, versions, ports, sizes and bare integers never have these shapes.
    kind: 'phone',
    hint: /\d/,
    pattern: new RegExp(
      '(?:' +
        [
          String.raw`(?<![\w+])\+[1-9](?:[ .-]?\(?\d\)?){7,14}`,
          String.raw`(?<![\w+.:-])00[1-9]\d{0,3}[ .-]\d(?:[ .-]?\d){6,12}`,
          String.raw`(?<![\w+.:-])0[1-9]\d{1,4}[ -]\d(?:[ -]?\d){5,8}`,
          String.raw`(?<![\w(.-])\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}`,
          String.raw`(?<![\w.+-])(?:1[ .-])?\d{3}([ .-])\d{3}\1\d{4}`,
        ].join('|') +
        String.raw`)(?!\w|[ .-]?\d)`,
      'g',
    ),
  },
  {
    // Names that identify a person's machine or a private network; public domains never match.
    kind: 'hostname',
    hint: /\.(?:local|lan|home|internal|corp|intranet)|-(?:macbook|mbp|imac|mac-?mini|laptop|pc|thinkpad|virtualbox|xps|inspiron|ideapad|zenbook|vivobook|elitebook|probook)|ip-\d|ec2-\d/i,
    pattern: new RegExp(
      String.raw`(?<![\w.-])(?:` +
        [
          String.raw`[A-Za-z0-9][A-Za-z0-9.-]*\.(?:local|localdomain|lan|home|internal|corp|intranet)`,
          String.raw`(?:ip|ec2)-\d{1,3}(?:-\d{1,3}){3}(?:\.[A-Za-z0-9-]+)*`, // EC2 private and public DNS
          // <user>-<model>[-<model number>], as macOS and Ubuntu name a machine (alice-MacBook-Pro,
          // alice-ThinkPad-T480, alice-XPS-13-9370); a word after the model (`-pc-windows-msvc`) is no machine.
          String.raw`[A-Za-z0-9][A-Za-z0-9-]*-(?:macbook(?:-pro|-air)?|mbp|imac|mac-?mini|laptop|pc|thinkpad|virtualbox|xps|inspiron|ideapad|zenbook|vivobook|elitebook|probook)(?:-[A-Za-z]?\d[A-Za-z0-9]*){0,3}(?:\.[A-Za-z0-9-]+)*`,
        ].join('|') +
        String.raw`)(?![\w-]|\.[\w-])`,
      'gi',
    ),
  },
  {
    // Windows default machine names, upper case as Windows makes them (`desktop-client` is a package).
    kind: 'hostname',
    hint: /DESKTOP-|LAPTOP-/,
    pattern: /(?<![\w.-])(?:DESKTOP|LAPTOP)-[A-Z0-9]{6,8}(?:\.[A-Za-z0-9-]+)*(?![\w-]|\.[\w-])/g,
  },
];
