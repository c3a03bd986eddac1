import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '@/lib/i18n';
import { LanguageSwitch } from './language-switch';

describe('LanguageSwitch', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('shows the language in use and switches the page to the one chosen', async () => {
    const { rerender } = render(<LanguageSwitch />);
    const select = screen.getByRole('combobox', { name: 'Language' });
    expect(select).toHaveValue('en');
    expect(screen.getAllByRole('option').map((option) => option.textContent)).toEqual(['English', '简体中文']);
    fireEvent.change(select, { target: { value: 'zh-CN' } });
    await waitFor(() => expect(document.documentElement.lang).toBe('zh-CN'));
    rerender(<LanguageSwitch compact />);
    expect(screen.getByRole('combobox', { name: '语言' })).toHaveValue('zh-CN');
    expect(screen.getAllByRole('option').map((option) => option.textContent)).toEqual(['EN', '中文']);
  });
});
