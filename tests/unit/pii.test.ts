import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPiiCipher, maskIdNumber, maskInText, maskPhone, parsePiiKeys, resolvePiiKeys, scrubLogLine } from '../../api/src/pii.ts';

const K1 = '0123456789abcdef0123456789abcdef';
const K2 = 'ffeeddccbbaa99887766554433221100';
const HASH = 'aa'.repeat(32);

describe('masking', () => {
  it('masks an ID number to its first and last four', () => {
    // given an 18-character ID number with an X check digit
    // when it is masked
    // then ten stars stand between its first and last four
    expect(maskIdNumber('51010419900101231X')).toBe('5101**********231X');
  });

  it('masks a mobile number to its first three and last four', () => {
    // given / when / then
    expect(maskPhone('13812341234')).toBe('138****1234');
  });

  it('masks every ID and mobile number inside a text, and leaves other numbers alone', () => {
    // given a message with an ID number, a mobile number and a dossier id
    const text = '申报人 510104199003072317 电话 13812341234 申报编号 12345';
    // when it is masked
    // then only the personal numbers are masked
    expect(maskInText(text)).toBe('申报人 5101**********2317 电话 138****1234 申报编号 12345');
  });

  it('removes tokens and password fields from a log line', () => {
    // given a serialised log line with a JWT and a password field
    const line = JSON.stringify({ msg: 'x', headers: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.abcdefghijk', body: { password: 'Secret#123' } });
    // when it is scrubbed
    const scrubbed = scrubLogLine(line);
    // then neither is left
    expect(scrubbed).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    expect(scrubbed).not.toContain('Secret#123');
  });
});

describe('SM4 sealing and the keyed hash', () => {
  it('opens what it sealed, and two seals of one value differ', () => {
    // given a cipher
    const cipher = createPiiCipher(parsePiiKeys(K1, HASH));
    // when a value is sealed twice
    const a = cipher.seal('510104199003072317');
    const b = cipher.seal('510104199003072317');
    // then both open to it, and neither shows it
    expect(cipher.open(a)).toBe('510104199003072317');
    expect(a).not.toBe(b);
    expect(a).not.toContain('510104199003072317');
  });

  it('refuses a sealed value that was changed', () => {
    // given a sealed value with one ciphertext character changed
    const cipher = createPiiCipher(parsePiiKeys(K1, HASH));
    const parts = cipher.seal('13812341234').split(':');
    parts[3] = (parts[3]![0] === '0' ? '1' : '0') + parts[3]!.slice(1);
    // when it is opened
    // then the MAC refuses it
    expect(() => cipher.open(parts.join(':'))).toThrow('校验失败');
  });

  it('opens values of the previous key after rotation and seals new ones with the new key', () => {
    // given a value sealed under k1, and the rotated key list k2,k1
    const old = createPiiCipher(parsePiiKeys(K1, HASH)).seal('13812341234');
    const rotated = createPiiCipher(parsePiiKeys(`k2:${K2},k1:${K1}`, HASH));
    // when it is opened and sealed again
    const resealed = rotated.seal(rotated.open(old));
    // then the new seal carries k2 and the old one k1
    expect(rotated.keyIdOf(old)).toBe('k1');
    expect(rotated.keyIdOf(resealed)).toBe('k2');
    expect(rotated.open(resealed)).toBe('13812341234');
  });

  it('hashes an ID number the same whatever the case of its X, and unlike under another hash key', () => {
    // given two ciphers with different hash keys
    const a = createPiiCipher(parsePiiKeys(K1, HASH));
    const b = createPiiCipher(parsePiiKeys(K1, 'bb'.repeat(32)));
    // when / then
    expect(a.hash('idNumber', '51010419900101231x')).toBe(a.hash('idNumber', '51010419900101231X'));
    expect(a.hash('idNumber', '51010419900101231X')).not.toBe(b.hash('idNumber', '51010419900101231X'));
  });

  it('refuses a key that is not 128 bits of hex', () => {
    // given / when / then
    expect(() => parsePiiKeys('not-a-key', HASH)).toThrow('32 位十六进制');
  });

  it('generates keys into the data folder once outside production, and refuses to start without them in production', () => {
    // given an empty data folder
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zcps-pii-'));
    const warnings: string[] = [];
    // when keys are resolved twice
    const first = resolvePiiKeys({}, dir, (m) => warnings.push(m));
    const second = resolvePiiKeys({}, dir, (m) => warnings.push(m));
    // then the same keys come back, with one warning; production refuses
    expect(second.current.key.equals(first.current.key)).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(() => resolvePiiKeys({ NODE_ENV: 'production' }, dir, () => undefined)).toThrow('PII_KEY');
  });
});

describe('log lines with JSON quoted inside a message', () => {
  it('removes a password field written as escaped JSON inside a string', () => {
    // given a line whose message holds a JSON body as text
    const line = JSON.stringify({ msg: `请求 ${JSON.stringify({ password: 'Secret#123', name: 'x' })}` });
    // when it is scrubbed
    const scrubbed = scrubLogLine(line);
    // then the password is gone and the line is still JSON
    expect(scrubbed).not.toContain('Secret#123');
    expect(JSON.parse(scrubbed).msg).toContain('[Redacted]');
  });
});
