import { describe, expect, it } from 'vitest';
import { findSensitive, redact, redactCapped, type RedactionKind } from '../../src/privacy/redact.js';

// Token-shaped fixtures are assembled at runtime so secret scanners (push protection) never see a
// literal vendor token in this file. None of them is a real credential.
const rep = (s: string, n: number): string => s.repeat(n);
const ALNUM36 = rep('a1B2c3D4e5F6', 3);
const BEGIN = (label: string): string => `-----BEGIN ${label}-----`;
const END = (label: string): string => `-----END ${label}-----`;
const JWT = ['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFsaWNlIn0', 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'].join('.');

type Case = readonly [input: string, expected: string];

const CASES: Record<RedactionKind, readonly Case[]> = {
  'private-key': [
    [`${BEGIN('RSA PRIVATE KEY')}\nMIIEpAIBAAKCAQEA\nq3Zx\n${END('RSA PRIVATE KEY')}`, '<private-key>'],
    [`key: ${BEGIN('PRIVATE KEY')}\\nMIIEvQIBADAN\\n${END('PRIVATE KEY')} end`, 'key: <private-key> end'],
    [`${BEGIN('EC PRIVATE KEY')}\nMHcCAQEEIB\n${END('EC PRIVATE KEY')}`, '<private-key>'],
    [`${BEGIN('OPENSSH PRIVATE KEY')}\nb3BlbnNzaC1rZXktdjEA\n${END('OPENSSH PRIVATE KEY')}`, '<private-key>'],
    [`${BEGIN('ENCRYPTED PRIVATE KEY')}\nMIIFHDBOBgkq\n${END('ENCRYPTED PRIVATE KEY')}`, '<private-key>'],
    [`pasted ${BEGIN('RSA PRIVATE KEY')}\nMIIEpAIBAAKCAQEA truncated`, 'pasted <private-key>'],
  ],
  jwt: [
    [JWT, '<jwt>'],
    [`session ${JWT} expired`, 'session <jwt> expired'],
    [`"id":"${JWT}"`, '"id":"<jwt>"'],
    ['eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.', '<jwt>'],
  ],
  url: [
    ['https://alice:hunter2@example.com/repo.git', '<url>'],
    ['fetch postgres://admin:s3cr3t@db.example.com:5432/app failed', 'fetch <url> failed'],
    ['redis://:pa55word@cache.example.com:6379', '<url>'],
    ['https://api.example.com/v1/items?token=abc123', '<url>'],
    ['GET https://example.com/cb?state=x&code=4/0AX4XfWh. ok', 'GET <url>. ok'],
    ['https://example.com/?access_token=ya29.a0AfH6', '<url>'],
    ['https://maps.example.com/api?api_key=abcdef&q=1', '<url>'],
    ['https://example.com/x?apikey=abcdef', '<url>'],
    ['https://example.com/x?key=abcdef', '<url>'],
    ['https://bucket.s3.amazonaws.com/f?X-Amz-Signature=ab12&X-Amz-Credential=AK', '<url>'],
    ['https://example.com/dl?sig=ab12cd&se=2026', '<url>'],
    ['https://example.com/login?password=hunter2', '<url>'],
    ['https://example.com/cb#access_token=abc&token_type=bearer', '<url>'],
    ['(see https://example.com/reset?auth=xyz)', '(see <url>)'],
    ['https://hooks.slack.com/services/T000/B000/XXXXXXXX', '<url>'],
    ['mount //alice:hunter2@10.0.0.5/share', 'mount <url>'],
    ['alice@example.com//bob:pw@nas/share', '<email><url>'],
  ],
  'api-key': [
    ['see\u2014ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'see\u2014<api-key>'],
    ['xoxo-123456789012-123456789012-123456789012-abcdef0123456789', '<api-key>'],
    [`OPENAI: sk-${ALNUM36}`, 'OPENAI: <api-key>'],
    [`sk-proj-${ALNUM36}`, '<api-key>'],
    [`sk-ant-api03-${ALNUM36}-AA`, '<api-key>'],
    [`ghp_${ALNUM36}`, '<api-key>'],
    [`gho_${ALNUM36}`, '<api-key>'],
    [`ghu_${ALNUM36}`, '<api-key>'],
    [`ghs_${ALNUM36}`, '<api-key>'],
    [`ghr_${ALNUM36}`, '<api-key>'],
    [`github_pat_11ABCDEFG0${ALNUM36}_${ALNUM36}`, '<api-key>'],
    [`AKIA${'IOSFODNN7EXAMPLE'}`, '<api-key>'],
    [`aws ASIA${'Y34FZKBOKMUTVV7A'} used`, 'aws <api-key> used'],
    [`AIza${'SyA-1234567890abcdefghijklmnopqrstu'}`, '<api-key>'],
    [`xoxb-${'123456789012-1234567890123-AbCdEfGhIjKlMnOp'}`, '<api-key>'],
    [`xoxp-${'1234567890-abcdefghij'}`, '<api-key>'],
    [`xoxc-${'1234567890-abcdefghijk'}`, '<api-key>'],
    [`xoxe-${'1-abcdefghijklmnopqrstuvwxyz'}`, '<api-key>'],
    [`xoxd-${'Rf4UlTlP2t%2FkDzsKDLMJ%2BQ2Udv'}`, '<api-key>'],
    [`xoxe.xoxp-${'1-Mi0yLTEyMzQ1Njc4OTAtMTIzNDU2Nzg5MA'}`, '<api-key>'],
    [`sk_live_${ALNUM36.slice(0, 24)}`, '<api-key>'],
    [`rk_live_${ALNUM36.slice(0, 24)}`, '<api-key>'],
    [`pk_live_${ALNUM36.slice(0, 24)}`, '<api-key>'],
    [`npm_${ALNUM36}`, '<api-key>'],
    [`glpat-${ALNUM36.slice(0, 20)}`, '<api-key>'],
    [`hf_${ALNUM36.slice(0, 34)}`, '<api-key>'],
    [`SG.${ALNUM36.slice(0, 22)}.${ALNUM36}${ALNUM36.slice(0, 7)}`, '<api-key>'],
    [`SK${rep('0123456789abcdef', 2)}`, '<api-key>'],
    [`export GITHUB_TOKEN=ghp_${ALNUM36}`, 'export GITHUB_TOKEN=<api-key>'],
    [`ghp_${ALNUM36}_old`, '<api-key>_old'],
    [`xapp-1-A0${ALNUM36}`, '<api-key>'],
    [`shpat_${rep('0123456789abcdef', 2)}`, '<api-key>'],
    [`dop_v1_${rep('0123456789abcdef', 4)}`, '<api-key>'],
    [`pypi-AgEIcHlwaS5vcmc${ALNUM36}`, '<api-key>'],
    [`gsk_${ALNUM36}${ALNUM36.slice(0, 8)}`, '<api-key>'],
    [`ya29.a0${ALNUM36}`, '<api-key>'],
    [`whsec_${ALNUM36.slice(0, 30)}`, '<api-key>'],
    [`https://api.telegram.org/bot123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11/getMe`, 'https://api.telegram.org/<api-key>/getMe'],
  ],
  token: [
    ['Authorization: Bearer abc123def456ghi789', 'Authorization: Bearer <token>'],
    ['authorization: basic dXNlcjpwYXNzd29yZA==', 'authorization: basic <token>'],
    ['Authorization: token 0123456789abcdef', 'Authorization: token <token>'],
    ['{"Authorization":"Bearer abc.def-ghi"}', '{"Authorization":"Bearer <token>"}'],
    ['Authorization: 0123456789abcdef', 'Authorization: <token>'],
    ['curl -H "Bearer abc123def456ghi789"', 'curl -H "Bearer <token>"'],
    ['Basic dXNlcjpwYXNz', 'Basic <token>'],
  ],
  secret: [
    ['password=hunter2', 'password=<secret>'],
    ['passwd: correct-horse', 'passwd: <secret>'],
    ['secret="s3cr3t value"', 'secret="<secret>"'],
    ['api_key=abc123', 'api_key=<secret>'],
    ['client_secret: abc123', 'client_secret: <secret>'],
    ['PGPASSWORD=hunter2 psql', 'PGPASSWORD=<secret> psql'],
    ['{"password": "hunter2", "user": "x"}', '{"password": "<secret>", "user": "x"}'],
    ["{'token': 'abc'}", "{'token': '<secret>'}"],
    ['MYSQL_PWD=x', 'MYSQL_PWD=<secret>'],
    ['DB_PASS=x;', 'DB_PASS=<secret>;'],
    ['X-Api-Key: abcdef', 'X-Api-Key: <secret>'],
    ['AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI', 'AWS_SECRET_ACCESS_KEY=<secret>'],
    ['accessToken=abc&refresh_token=def', 'accessToken=<secret>&refresh_token=<secret>'],
    ['--password=hunter2', '--password=<secret>'],
    ['//registry.npmjs.org/:_authToken=abcdef', '//registry.npmjs.org/:_authToken=<secret>'],
    ['login --password hunter2', 'login --password <secret>'],
    ['--password hunter2', '--password <secret>'],
    ['(--token abc123def)', '(--token <secret>)'],
    ['deploy --api-key abc123 --force', 'deploy --api-key <secret> --force'],
    ['curl -u alice:hunter2 https://api.example.com', 'curl -u <secret> https://api.example.com'],
    ['cookie: session=8f1d2c3b4a5e6f708192a3b4c5d6e7f8', 'cookie: <secret>'],
    ['AccountKey=abc123+/=', 'AccountKey=<secret>'],
    ['sid=s%3Aabc', 'sid=<secret>'],
  ],
  email: [
    ['write to alice@example.com\u2014we reply', 'write to <email>\u2014we reply'],
    ['alice.smith(at)uni-beograd.rs', '<email>'],
    ['alice@example.com', '<email>'],
    ['contact: first.last+tag@sub.example.co.uk.', 'contact: <email>.'],
    ['<bob_smith@example.org>', '<<email>>'],
    ['mailto:carol@example.io', 'mailto:<email>'],
    ['"dave-99@mail.example.com"', '"<email>"'],
    ['mail müller@bücher.de', 'mail <email>'],
    ['álice@exämple.com', '<email>'],
    ['alice＠example.com', '<email>'],
    ['"alice smith"@example.com', '<email>'],
    ['alice%40example.com', '<email>'],
    ['a\u200Blice@example.com', '<email>'],
    ['contact सुनीता@example.in now', 'contact <email> now'],
    ['นิภา@example.com', '<email>'],
    ['alice\u061C@example.com', '<email>'],
    ['carol\u180E@example.com', '<email>'],
    ['bob\u{E0020}@example.com', '<email>'],
    ['alice(at)example.com', '<email>'],
    ['alice [at] example [dot] com', '<email>'],
    ['write to Bob {AT} mail.example.co.uk.', 'write to <email>.'],
  ],
  path: [
    ['/home/alice/x', '<path>'],
    ['open /Users/alice/Library/Caches/app.json failed', 'open <path> failed'],
    ['/root/.npmrc', '<path>'],
    ['/var/folders/zz/zyxvpxvq6csfxvn_n0000000000000/T/tmp-1', '<path>'],
    ['/srv/acme/project', '<path>'],
    ['cwd:/home/alice', 'cwd:<path>'],
    ['at run (/home/alice/app/index.js:12:5)', 'at run (<path>:12:5)'],
    ['see ~/projects/secret-plan.md', 'see <path>'],
    ['~alice/notes.txt', '<path>'],
    ['C:\\Users\\alice\\AppData\\Local\\x', '<path>'],
    ['C:/Users/alice/x', '<path>'],
    ["open 'D:\\work\\acme\\x.txt'", "open '<path>'"],
    ['\\\\fileserver\\share\\alice\\x', '<path>'],
    ['%USERPROFILE%\\Documents\\x', '<path>'],
    ['$HOME/.config/app', '<path>'],
    ['file:///home/alice/x.ts', '<path>'],
    ['file:///C:/Users/alice/x.ts:3', '<path>'],
    ['taxes C:\\Users\\Alice Smith\\Desktop\\taxes2024.pdf', 'taxes <path>'],
    ['read /home/alice/My Documents/plan.md, then', 'read <path>, then'],
    ['/Volumes/Macintosh HD/Users/alice/secret.txt', '<path>'],
    ["'/Users/Mary Jane Watson/notes.txt'", "'<path>'"],
    ['C:\\Users\\Ana María López\\AppData\\x', '<path>'],
    ["scandir 'C:\\Users\\John Smith'", "scandir '<path>'"],
    ['copied /home/alice/x to the bucket', 'copied <path> to the bucket'],
    ['cron backup >/home/alice/backup.log', 'cron backup ><path>'],
    ['GET 192.168.1.20/home/alice/acme', 'GET <ipv4><path>'],
    ['gcc -I/home/alice/include', 'gcc -I<path>'],
    ['acli-/home/alice/clients/acme-merger', 'acli-<path>'],
    ['build_/Users/bob/work/x', 'build_<path>'],
    ['open \\Users\\alice\\Documents\\contract.docx', 'open <path>'],
    ['/données/alice/projet.txt', '<path>'],
    ['$env:USERPROFILE\\Documents\\x', '<path>'],
    ['%2Fhome%2Falice%2Fx', '<path>'],
    ['\u2215home\u2215alice\u2215secret', '<path>'],
    ['\u2044home\u2044alice\u2044secret', '<path>'],
    ['\u29F8home\u29F8alice\u29F8secret', '<path>'],
    ['net use //10.0.0.5/share/alice', 'net use <path>'],
    ['{"path":"\\\\\\\\server\\\\share\\\\alice"}', '{"path":"<path>"}'],
    ['\\\\.\\pipe\\alice-sock', '<path>'],
    ['\\\\?\\C:\\Users\\alice\\x', '<path>'],
    ['vscode://file/home/alice/x', 'vscode://file<path>'],
    ['vscode-remote://wsl+Ubuntu/home/alice/x', 'vscode-remote://wsl+Ubuntu<path>'],
    ['sftp://box/home/alice/x', 'sftp://box<path>'],
    ['scp://host/Users/alice/x:12.', 'scp://host<path>:12.'],
    ['smb://fileserver/share/alice', 'smb://fileserver<path>'],
    ['vscode-insiders://file/Users/alice/x.ts', 'vscode-insiders://file<path>'],
    ['vscode://vscode-remote/ssh-remote+box/home/alice/proj', 'vscode://vscode-remote<path>'],
    ['git clone ssh://build01/home/alice/repo.git', 'git clone ssh://build01<path>'],
    ['rsync://backup/home/alice/x', 'rsync://backup<path>'],
    ['scp://host//home/alice/x', 'scp://host<path>'],
    ['sftp://host/%2Fhome%2Falice', 'sftp://host<path>'],
  ],
  ipv4: [
    ['10.0.0.1', '<ipv4>'],
    ['connect 192.168.1.254:8080 refused', 'connect <ipv4>:8080 refused'],
    ['from 255.255.255.255.', 'from <ipv4>.'],
    ['0.0.0.0', '<ipv4>'],
    ['cidr 172.16.0.0/12', 'cidr <ipv4>/12'],
    ['1.2.3.4', '<ipv4>'],
    ['zero-padded 192.168.001.010 too', 'zero-padded <ipv4> too'],
    ['ip １９２.１６８.１.２３', 'ip <ipv4>'],
    ['10.0\u200B.0.1', '<ipv4>'],
    ['from 𝟏𝟎.𝟏.𝟐.𝟑', 'from <ipv4>'],
    ['١٠.١.٢.٣', '<ipv4>'],
    ['۱۰.۱.۲.۳', '<ipv4>'],
    ['१०.१.२.३', '<ipv4>'],
    ['10.1.2\u061C.3', '<ipv4>'],
    ['ip ¹⁰.¹.².³', 'ip <ipv4>'],
  ],
  ipv6: [
    ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', '<ipv6>'],
    ['2001:db8::1', '<ipv6>'],
    ['listen ::1 port 80', 'listen <ipv6> port 80'],
    ['fe80::1%eth0', '<ipv6>'],
    ['[fe80::1ff:fe23:4567:890a]:443', '[<ipv6>]:443'],
    ['::ffff:192.168.1.1', '<ipv6>'],
    ['peer 2606:4700:4700::1111.', 'peer <ipv6>.'],
    ['::', '::'],
  ],
  mac: [
    ['aa:bb:cc:dd:ee:ff', '<mac>'],
    ['AA-BB-CC-DD-EE-FF', '<mac>'],
    ['ether 3c:22:fb:12:9a:0e up', 'ether <mac> up'],
    ['aabb.ccdd.eeff', '<mac>'],
    ['aa\u2236bb\u2236cc\u2236dd\u2236ee\u2236ff', '<mac>'],
  ],
  card: [
    ['4111111111111111', '<card>'],
    ['card 4111\u00a01111\u00a01111\u00a01111', 'card <card>'],
    ['card 4111\u30001111\u30001111\u30001111', 'card <card>'],
    ['card 4111 1111 1111 1111 declined', 'card <card> declined'],
    ['5500-0000-0000-0004', '<card>'],
    ['3782 822463 10005', '<card>'],
    ['6011000990139424', '<card>'],
    ['４１１１１１１１１１１１１１１１', '<card>'],
    ['4222222222222', '<card>'],
    ['٤١١١ ١١١١ ١١١١ ١١١١', '<card>'],
  ],
  iban: [
    ['GB82WEST12345698765432', '<iban>'],
    ['iban DE89 3704 0044 0532 0130 00 EUR', 'iban <iban> EUR'],
    ['FR1420041010050500013M02606', '<iban>'],
    ['NL91 ABNA 0417 1643 00', '<iban>'],
    ['MT84MALT011000012345MTLCAST001S', '<iban>'],
    ['BE68 5390 0754 7034 USED', '<iban> USED'],
    ['IBAN BE68 5390 0754 7034 2024', 'IBAN <iban> 2024'],
    ['de89 3704 0044 0532 0130 00', '<iban>'],
  ],
  ssn: [
    ['123-45-6789', '<ssn>'],
    ['123\u201045\u20106789', '<ssn>'],
    ['123\u201345\u20136789', '<ssn>'],
    ['123\u221245\u22126789', '<ssn>'],
    ['ssn: 078-05-1120.', 'ssn: <ssn>.'],
  ],
  phone: [
    ['+14155550123', '<phone>'],
    ['call +44 20 7946 0958 now', 'call <phone> now'],
    ['(415) 555-0123', '<phone>'],
    ['415-555-0123', '<phone>'],
    ['415.555.0123', '<phone>'],
    ['+1 (415) 555-0123', '<phone>'],
    ['tel:+49-30-1234567', 'tel:<phone>'],
    ['call 1-800-555-0199', 'call <phone>'],
    ['call mum 07700 900123', 'call mum <phone>'],
    ['0151 12345678', '<phone>'],
    ['0044 7700 900123', '<phone>'],
    ['+86 138 0013 8000', '<phone>'],
  ],
  hostname: [
    ['alice-macbook.local', '<hostname>'],
    ['Bobs-MacBook-Pro.local', '<hostname>'],
    ['host DESKTOP-1A2B3C4 joined', 'host <hostname> joined'],
    ['alice-laptop', '<hostname>'],
    ['carol-pc', '<hostname>'],
    ['nas.lan', '<hostname>'],
    ['router.home', '<hostname>'],
    ['build-01.corp', '<hostname>'],
    ['ip-10-0-0-1.ec2.internal', '<hostname>'],
    ['https://alice-laptop.local:3000/app', 'https://<hostname>:3000/app'],
    ['alice-ThinkPad-T480', '<hostname>'],
    ['alice-VirtualBox', '<hostname>'],
    ['alice-XPS-13-9370', '<hostname>'],
    ['LAPTOP-4F8N3J2K', '<hostname>'],
    ['DESKTOP-1A2B3C4.corp.acme.com', '<hostname>'],
    ['ec2-54-1-2-3.compute-1.amazonaws.com', '<hostname>'],
  ],
};

const HARMLESS: readonly string[] = [
  // A URL's own segments, even one ending in `_` or `-` before a slash.
  'https://example.com/api_/v1/users', 'https://en.wikipedia.org/wiki/C_/C++/x', 'see https://ex.com/a-/b/c',
  '', 'list', 'ENOENT', 'TypeError', 'todo.cli.invoked', 'TypeError: x is not a function',
  'v1.2.3', '1.2.3-beta.1', '1.0.0+20130313144700', '2026-11-23', '12:34:56', '12:34:56.789',
  '2026-11-23T12:34:56Z', '2026-11-23T12:34:56.123+01:00', 'src/index.ts', './bin.mjs', '../lib/a/b.js',
  'node_modules/commander', 'node:internal/modules/cjs/loader', 'std::vector<int>', 'std::string',
  'a::b', 'Foo::Bar::baz()', 'https://example.com/docs', 'https://example.com/docs?page=2',
  'https://example.com/search?q=country_codes&sort=asc', 'https://example.com/?code=&x=1', 'github.com', 'registry.npmjs.org',
  'HTTP 404', 'HTTP/1.1 200 OK', 'took 1500 ms', 'port 4318', 'localhost:3000',
  'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'sha1:abc',
  '123e4567-e89b-12d3-a456-426614174000', 'exit code 1', 'retry 3/5', 'and/or', 'N/A',
  'x86_64-pc-linux-gnu', '.env.local', 'settings.local.json', 'claude-desktop', 'task-runner',
  'a basic example', 'the Bearer token scheme', 'Basic usage: foo', 'invalid token', 'max_tokens: 100',
  'password: true', 'password=', 'bypass=1', 'sort_key=name', 'tokenizer=gpt2', 'skip', 'sk-learn',
  'AKIA', 'the ghp_ prefix', 'epoch 1700000000000', 'id 1234567890123456', '100%', '~1.2.3', '^2.0.0',
  'a/b/c', 'text/html', 'Cargo.toml', 'README.md', 'foo.bar.baz', 'answer: 42', 'count=10',
  'user@localhost', '@types/node', 'pkg@1.2.3', 'a=b', '3.14159', '1,234,567', 'version 10.2',
  'getUserAccountSettingsForTenant2024', 'application/json', 'react@18', 'café au lait', 'naïve résumé', 'emoji 👍🏽',
  '50% off', '100%25', 'session: true', '--password', 'login --token=', '2026-12-03 01:02:03', 'build 0.12.3',
  'ISO 3166', 'zip 01234', 'port 8080 and 8081',
  // Relative paths, URL paths, identifiers, target triples, package names, sizes and ids (review).
  'src/data/users.json', 'cmd/run/main.go', './data/config.json', 'cp -r ./tmp/cache ./out', 'https://example.com/data/export.csv',
  'http://localhost:3000/api/run/123', 'packages/core/src/v2/ConfigLoader.ts', 'org/apache/commons/lang3/StringUtils',
  'app/src/main/java/com/acme/Http2Client.java', 'MyVeryLongClassName2WithDigits3And4Things', 'rustup target add aarch64-pc-windows-msvc',
  'i686-pc-windows-gnu', 'terraform-provider-vmware', 'api-surface', 'max-latitude', 'desktop-client', 'desktop-release.yml',
  'laptop-config.json', 'size 17179869184 bytes', 'order 0123456789', 'id 0012345678901', 'docker run -u 1000:1000 node',
  'tmux new --session work', 'session: main', 'pattern \\d\\d\\d', 'line 1234567:some-long-hyphenated-identifier-name',
  // Ordinary strings near the shapes added for the audit: none of them is a value.
  'git push origin main', 'npm i react@18.2.0', '2024-01-02', '12:34:56', '1h30m', '250ms', '1.5s', 'v10.1.2.3',
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'https://example.com/a/b/c', 'wss://example.com/a/b',
  'git+https://github.com/npm/cli.git', 'postgres://db.example.com:5432/app', 'redis://cache:6379/0', '//cdn.example.com/lib/x.js',
  '000-12-3456', '666-12-3456', '900-12-3456', '123-00-4567', '123-45-0000', '12-345-6789', '4111.1111.1111.1112', '3.14159265358979',
  'released 2024.01.02', 'GB82WEST12345698765431', 'ABCD1234EFGH5678', 'US1234567890', 'xoxo-forever-and-always', 'see the (at) sign',
  'meet [at] noon',
  // Shapes the second review found caught wrongly: build labels, public URLs of non-web schemes, files after "(at)", dotted build numbers.
  'bazel build //src/main/java/com/example:app', 'buck2 build //apps/server:server', "--args='//build/config:x'", '//TODO/fixme',
  'git clone ssh://github.com/org/repo.git', 'git+ssh://github.com/org/repo.git#v1.0.0', 'ftp://ftp.gnu.org/gnu/bash/',
  's3://my-bucket/releases/v1.2.3/app.tgz', 'helm install x oci://ghcr.io/org/charts/app', 'slack://channel/T123/C456',
  'de613dcf2ea1b9c28c5a74', 'pages 10\u201312', 'Error [at] index.js', 'Failed {at} config.json', 'retry (at) step.build', 'xoxo-2024-farewell', 'build 2024.0115.0009.0001',
  '"\\\\.\\d+"',
  // Other scripts, their digits, emoji and typography (read through the canonical form, unchanged).
  'ٱلْعَرَبِيَّة ١٢٣', 'कक्षा १०', '2020\u20132024', 'pages 10\u201312', '了解\u3002次へ', 'a\u00a0b', 'x \u2044 y', 'a \u2216 b', 'こんにちは世界', 'Привет мир', 'ok 👍🏽 🤔', '“quoted” — text…',
];

describe('redact', () => {
  for (const [kind, cases] of Object.entries(CASES)) {
    it.each(cases)(`replaces the ${kind} in %j`, (input, expected) => {
      expect(redact(input)).toBe(expected);
    });
  }

  it.each(HARMLESS)('leaves the harmless string %j unchanged', (input) => {
    expect(redact(input)).toBe(input);
    expect(findSensitive(input)).toEqual([]);
  });

  it('redacts each part of a mixed string', () => {
    expect(redact('alice@example.com from 10.0.0.1 at /home/alice/x')).toBe('<email> from <ipv4> at <path>');
    expect(redact(`user=bob password=hunter2 token ${JWT} ip fe80::1`)).toBe('user=bob password=<secret> token <jwt> ip <ipv6>');
    expect(redact('ENOENT: open \'/Users/bob/.todo.json\' on bobs-macbook.local')).toBe("ENOENT: open '<path>' on <hostname>");
    expect(redact('mail alice\u061C@example.com from 𝟏𝟎.𝟏.𝟐.𝟑 or bob\u{E0020}@example.com')).toBe('mail <email> from <ipv4> or <email>');
  });

  it('keeps a plain URL but redacts the private parts inside it', () => {
    expect(redact('https://example.com/users/alice@example.com')).toBe('https://example.com/users/<email>');
    expect(redact('http://10.0.0.5:8080/health')).toBe('http://<ipv4>:8080/health');
    expect(redact('http://[::1]:3000/')).toBe('http://[<ipv6>]:3000/');
  });

  it('replaces a key nested in a more specific shape only once', () => {
    expect(redact(`Authorization: Bearer ghp_${ALNUM36}`)).toBe('Authorization: Bearer <api-key>');
    expect(redact(`api_key=sk-${ALNUM36}`)).toBe('api_key=<api-key>');
    expect(redact(`https://x.example.com/?id_token=${JWT}`)).toBe('<url>');
  });

  it('is idempotent', () => {
    const all = [...Object.values(CASES).flat().map(([input]) => input), ...HARMLESS];
    for (const input of all) {
      const once = redact(input);
      expect(redact(once), input).toBe(once);
    }
  });

  it('reads past every invisible character and every decimal digit Unicode has', () => {
    const hiding = /[\p{Cf}\p{DI}]|[^\P{Nd}0-9]/u;
    for (let code = 0x80; code < 0x110000; code++) {
      if (code >= 0xd800 && code < 0xe000) continue;
      const char = String.fromCodePoint(code);
      if (!hiding.test(char)) continue;
      const digit = /\p{Nd}/u.test(char);
      const input = digit ? `10.0.0.${char}` : `alice${char}@example.com`;
      expect(redact(input), code.toString(16)).toBe(digit ? '<ipv4>' : '<email>');
    }
  });

  it('returns <redacted> instead of throwing for a non-string from an untyped caller', () => {
    expect(redact(undefined as unknown as string)).toBe('<redacted>');
    expect(redact(42 as unknown as string)).toBe('<redacted>');
  });

  it('completes on 100 KB adversarial inputs', () => {
    const n = 100_000;
    const inputs = [
      `${'a'.repeat(n)}@`, 'a@'.repeat(n / 2), `${'a.'.repeat(n / 2)}@`, `@${'a.'.repeat(n / 2)}`,
      '1'.repeat(n), '1 '.repeat(n / 2), '1-'.repeat(n / 2), '1.'.repeat(n / 2), `+${'1'.repeat(n)}`,
      ':'.repeat(n), `${':'.repeat(n)}x`, 'a:'.repeat(n / 2), '1:'.repeat(n / 2), `::${'.'.repeat(n)}`,
      '/a'.repeat(n / 2), '/'.repeat(n), `/a/${':1'.repeat(n / 2)}x`, '\\'.repeat(n), '~'.repeat(n),
      'a-'.repeat(n / 2) + ' x-pc', `${'a.'.repeat(n / 2)} b.local`, '-'.repeat(n), '.'.repeat(n),
      `${'a'.repeat(n)}=x`, 'password'.repeat(n / 8), 'a='.repeat(n / 2), 'a://'.repeat(n / 4),
      `https://x.com/?${'a_'.repeat(n / 2)}`, `${BEGIN('A')}${'A'.repeat(n)}`, `-----BEGIN ${'A'.repeat(n)}`,
      'eyJ'.repeat(n / 3), 'aa:'.repeat(n / 3), 'Bearer '.repeat(n / 7), '%a'.repeat(n / 2), 'x'.repeat(n),
      '//a'.repeat(n / 3), `//${'a'.repeat(n)}`, '\\\\.'.repeat(n / 3), 'a(at)'.repeat(n / 5), `a(at)${'b [dot] '.repeat(n / 8)}`,
      'AB12'.repeat(n / 4), `AB12${' ABCD'.repeat(n / 5)}`, '123-45-'.repeat(n / 7), 'xoxb-'.repeat(n / 5), `xoxb-${'a'.repeat(n)}`,
      `vscode://x${'/a'.repeat(n / 2)}`, 'smb://'.repeat(n / 6), '4111.'.repeat(n / 5), '4111_'.repeat(n / 5),
      '\u0661'.repeat(n), '\u{116E9}'.repeat(n / 2), '\u180e'.repeat(n), '\u{1D7CF}'.repeat(n / 2), '\u2215a'.repeat(n / 2), '\u{E0020}'.repeat(n / 2),
    ];
    for (const input of inputs) {
      expect(typeof redact(input)).toBe('string');
      expect(Array.isArray(findSensitive(input))).toBe(true);
    }
  });
});

describe('redactCapped', () => {
  it('redacts a value crossing the cap as a whole, then cuts', () => {
    expect(redactCapped(`${'a'.repeat(70)} ${JWT}`, 80)).toBe(`${'a'.repeat(70)} <jwt>`);
    expect(redactCapped(`${'a'.repeat(70)} 4111 1111 1111 1111`, 80)).toBe(`${'a'.repeat(70)} <card>`);
  });

  it('replaces a word longer than the margin that crosses the cap whole (a 6 KB JWT is still no payload)', () => {
    const payload = Buffer.from(JSON.stringify({ email: 'alice.smith@example.com', pad: 'x'.repeat(5000) })).toString('base64url');
    const jwt = `eyJhbGciOiJIUzI1NiJ9.${payload}.c2lnbmF0dXJl`;
    expect(redactCapped(`request failed with token ${jwt}`, 200)).toBe('request failed with token <redacted>');
    expect(redactCapped(`password="${'x'.repeat(6000)}"`, 80)).toBe('<redacted>');
  });

  it('reads only a margin past the cap, so a megabyte-long value costs what its start costs', () => {
    const long = `call alice@example.com ${' a:a'.repeat(1_000_000)}`;
    expect(redactCapped(long, 30)).toBe(`call <email> ${' a:a'.repeat(4)} `);
  });
});

describe('findSensitive', () => {
  for (const [kind, cases] of Object.entries(CASES)) {
    const positives = cases.filter(([input, expected]) => input !== expected);
    it.each(positives)(`reports ${kind} for %j`, (input) => {
      expect(findSensitive(input)).toContain(kind);
    });
  }

  it('reports each kind once, in rule order', () => {
    expect(findSensitive('a@example.com b@example.com from 10.0.0.1 and 10.0.0.2 at /home/a/x')).toEqual([
      'email',
      'path',
      'ipv4',
    ]);
  });

  it('reports nothing for a harmless string', () => {
    expect(findSensitive('todo.cli.invoked')).toEqual([]);
  });
});
