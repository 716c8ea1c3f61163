import { describe, expect, it } from 'vitest';
import { kindsFor, opensInline, sniff } from '../../api/modules/files/files.sniff.ts';

describe('the upload sniffer', () => {
  it('tells a Windows program by its MZ header, whatever it would be called', () => {
    // given the first bytes of an .exe
    const content = Buffer.from('MZ\x90\x00\x03\x00', 'latin1');
    // when it is sniffed
    // then it is an executable served as nothing but bytes
    expect(sniff(content)).toMatchObject({ kind: 'executable', label: '可执行程序' });
  });

  it('tells Word and Excel 97-2003 apart by their stream names', () => {
    // given two OLE files, one with a WordDocument stream and one with a Workbook stream
    const ole = (stream: string) => Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(64), Buffer.from(stream, 'utf16le')]);
    // when they are sniffed
    // then each is its own kind
    expect(sniff(ole('WordDocument')).kind).toBe('doc');
    expect(sniff(ole('Workbook')).kind).toBe('xls');
  });

  it('reads Chinese text in GB18030 as text, and a page with script as markup', () => {
    // given GB18030 bytes of 姓名 and an SVG with a script
    const gbk = Buffer.from([0xd0, 0xd5, 0xc3, 0xfb, 0x0a]);
    const svg = Buffer.from('\uFEFF  <svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    // when they are sniffed
    // then the first is text and the second is refused markup
    expect(sniff(gbk).kind).toBe('text');
    expect(sniff(svg).kind).toBe('html');
  });

  it('admits for a field only the kinds its extensions name', () => {
    // given a field that takes .pdf and .jpg
    const kinds = kindsFor(['.pdf', '.JPG']);
    // when its kinds are listed
    // then PDF and JPEG are in, PNG and executables are not
    expect([...kinds].sort()).toEqual(['jpeg', 'pdf']);
  });

  it('opens images and PDF in the page, and saves SVG and everything else', () => {
    // given some served types
    // when asked whether each opens inline
    // then only PDF and raster images do
    expect(['application/pdf', 'image/png', 'image/svg+xml', 'text/plain'].map(opensInline)).toEqual([true, true, false, false]);
  });
});
