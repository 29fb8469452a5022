import { describe, expect, it } from 'vitest';
import { isWellFormedText } from '#lib/domain/well-formed-text.ts';

describe('well-formed text', () => {
  it.each(['', 'page_blurred', 'é', '😀', '\ud83d\ude00', '\u0000', '\uffff'])('accepts %j', (text) => {
    expect(isWellFormedText(text)).toBe(true);
  });

  it.each(['\ud800', '\udfff', 'a\udc00b', '\udc00\ud800', 'x\ud83d'])('refuses %j, which holds an unpaired surrogate', (text) => {
    expect(isWellFormedText(text)).toBe(false);
  });
});
