import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeGraphqlFetch } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { passTime } from '@/testing/timers';
import { SUGGEST_DELAY_MS, SUGGESTIONS } from '../hooks/use-search-suggestions';
import { HeaderSearch } from './header-search';

const suggestions = () => ({
  data: {
    searchSuggestions: [
      { __typename: 'Product', id: 'UHJvZHVjdDo3MQ==', name: 'Pro Gamepad' },
      { __typename: 'Product', id: 'UHJvZHVjdDoy', name: 'Aurora X1 Pro' },
    ],
  },
});

function show() {
  const { fetch, sent } = fakeGraphqlFetch({ SearchSuggestions: suggestions });
  renderWithProviders(<HeaderSearch />, { fetch, url: '/', path: '/' });
  return sent;
}

function type(text: string) {
  fireEvent.change(screen.getByRole('combobox', { name: 'Search the shop' }), { target: { value: text } });
}

describe('HeaderSearch', () => {
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks for suggestions once typing pauses, and opens the product picked', async () => {
    const sent = show();
    type('p');
    type('pr');
    type('pro');
    expect(sent).toHaveLength(0);
    await passTime(SUGGEST_DELAY_MS + 50);
    expect(sent.map((s) => s.variables)).toEqual([{ query: 'pro', first: SUGGESTIONS }]);
    fireEvent.click(await screen.findByText('Aurora X1 Pro'));
    expect(await screen.findByText('Now at /products/UHJvZHVjdDoy')).toBeInTheDocument();
  });

  it('lists every match on Enter and asks nothing for a blank box', async () => {
    const sent = show();
    type('   ');
    await passTime(SUGGEST_DELAY_MS + 50);
    expect(sent).toHaveLength(0);
    type('spekar');
    act(() => {
      fireEvent.keyDown(screen.getByRole('combobox', { name: 'Search the shop' }), { key: 'Enter', code: 'Enter', keyCode: 13 });
    });
    expect(await screen.findByText('Now at /products?q=spekar')).toBeInTheDocument();
  });

  it('moves through the suggestions with the arrow keys, opens the one chosen on Enter and closes on Escape', async () => {
    show();
    type('pro');
    await passTime(SUGGEST_DELAY_MS + 50);
    const box = screen.getByRole('combobox', { name: 'Search the shop' });
    expect(await screen.findByRole('option', { name: 'Pro Gamepad' })).toBeInTheDocument();
    expect(box).toHaveAttribute('aria-expanded', 'true');
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(box).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('option')).not.toBeInTheDocument();
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    const second = screen.getByRole('option', { name: 'Aurora X1 Pro' });
    expect(second).toHaveAttribute('aria-selected', 'true');
    expect(box).toHaveAttribute('aria-activedescendant', second.id);
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(await screen.findByText('Now at /products/UHJvZHVjdDoy')).toBeInTheDocument();
  });

  it('leaves Enter to an input method that is composing (pinyin picks its characters)', async () => {
    show();
    type('pin');
    const box = screen.getByRole('combobox', { name: 'Search the shop' });
    fireEvent.keyDown(box, { key: 'Enter', code: 'Enter', keyCode: 229 });
    fireEvent.keyDown(box, { key: 'Enter', code: 'Enter', isComposing: true });
    await passTime(50);
    expect(screen.queryByText(/^Now at/)).not.toBeInTheDocument();
    fireEvent.keyDown(box, { key: 'Enter', code: 'Enter', keyCode: 13 });
    expect(await screen.findByText('Now at /products?q=pin')).toBeInTheDocument();
  });
});
