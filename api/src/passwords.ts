import { hash, verify } from '@node-rs/argon2';
import { randomInt } from 'node:crypto';

/** argon2id hashes; the parameters are the library's recommended defaults. */
export async function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// a real hash to verify against when the account does not exist, so timing does not tell
let dummyHash: Promise<string> | null = null;

export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hash('zcps-no-such-account');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

/**
 * Minimum strength: 8 to 64 characters with at least three of lower case, upper case, digits and
 * symbols, not containing the account name or ID number, and not a common password. For a new
 * password being set, never for a login. Returns the reason, or null.
 */
export function passwordProblem(password: string, account: { username?: string | null; idNumber?: string | null } = {}): string | null {
  if (password.length < 8) return '密码至少 8 位';
  if (password.length > 64) return '密码最多 64 位';
  if (/\s/.test(password)) return '密码不能包含空格';
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return '密码须包含大写字母、小写字母、数字、符号中的至少三类';
  const lower = password.toLowerCase();
  for (const part of [account.username, account.idNumber]) {
    if (part && part.length >= 4 && lower.includes(part.toLowerCase())) return '密码不能包含账号或身份证号';
  }
  if (COMMON_PASSWORDS.has(lower)) return '密码过于常见，容易被猜中，请换一个';
  return null;
}

/**
 * Passwords that pass the strength rule and are still the first ones guessed: leaked-list
 * favourites, keyboard walks, and the demo accounts' password (anyone reading the manual knows
 * it). Compared in lower case.
 */
const COMMON_PASSWORDS = new Set(
  [
    'Zcps@2026', 'Zcps@2025', 'Zcps#2026', 'Zcps2026!',
    'Password1', 'Password1!', 'Password123', 'Password@123', 'P@ssw0rd', 'P@ssword1', 'P@ssw0rd1', 'Passw0rd', 'Passw0rd!', 'Password!1',
    'Admin@123', 'Admin123!', 'Admin@1234', 'Admin@2024', 'Admin@2025', 'Admin@2026', 'Admin#123', 'Administrator1',
    'Abc@1234', 'Abc@12345', 'Abc12345!', 'Abcd@1234', 'Abcd1234!', 'Aa123456!', 'Aa@123456', 'Aa123456@', 'Aa111111!',
    'Qwer1234!', 'Qwer@1234', 'Qwerty123!', 'Qwerty@123', 'Qwe123!@#', 'Qaz123456!', '1qaz@WSX', '1qaz!QAZ', '1QAZ2wsx!', 'Zaq12wsx!', '!QAZ2wsx', '1qaz2wsx#EDC',
    'Welcome1', 'Welcome@123', 'Welcome1!', 'Test@123', 'Test@1234', 'Root@123', 'Huawei@123', 'Changeme1!', 'Letmein1!',
    'Woaini520!', 'Woaini@1314', 'Sc@123456', 'Sichuan@123', 'Chengdu@123', 'China@123', 'Zhongguo@123', 'Rsj@123456',
  ].map((p) => p.toLowerCase()),
);

const INITIAL_ALPHABET = {
  lower: 'abcdefghijkmnpqrstuvwxyz',
  upper: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  digit: '23456789',
  symbol: '@#%&*+=?',
};

/** An initial password for an account someone else creates: strong, without look-alike characters. */
export function generateInitialPassword(): string {
  const pick = (set: string) => set[randomInt(set.length)]!;
  const all = Object.values(INITIAL_ALPHABET).join('');
  const chars = [pick(INITIAL_ALPHABET.lower), pick(INITIAL_ALPHABET.upper), pick(INITIAL_ALPHABET.digit), pick(INITIAL_ALPHABET.symbol)];
  while (chars.length < 12) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
