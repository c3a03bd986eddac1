import { describe, expect, it } from 'vitest';
import { detectedLanguages, i18n, LANGUAGE_STORAGE_KEY } from './i18n';

describe('language detection', () => {
  it("tries the remembered choice first, then the browser's languages, Chinese as zh-CN", () => {
    expect(detectedLanguages('en', { languages: ['zh-CN', 'zh'], language: 'zh-CN' })).toEqual(['en', 'zh-CN', 'zh-CN', 'zh-CN']);
    expect(detectedLanguages(null, { languages: ['fr-FR', 'zh-TW'], language: 'fr-FR' })).toEqual(['fr-FR', 'zh-CN', 'fr-FR']);
    expect(detectedLanguages(null, { language: 'zh-Hans' })).toEqual(['zh-CN']);
    expect(detectedLanguages('<script>', { languages: [], language: '' })).toEqual([]);
  });

  it('remembers a switch in localStorage, and shows the page in the language chosen', async () => {
    try {
      await i18n.changeLanguage('zh-CN');
      expect(window.localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('zh-CN');
      expect(i18n.t('header.cart')).toBe('购物车');
      await i18n.changeLanguage('en');
      expect(window.localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');
      expect(i18n.t('header.cart')).toBe('Cart');
    } finally {
      await i18n.changeLanguage('en');
    }
  });
});
