import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeGraphqlFetch } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { DevMailboxView } from './dev-mailbox-view';

describe('DevMailboxView', () => {
  it('lists the kept mail with its links clickable', async () => {
    const { fetch } = fakeGraphqlFetch({
      DevMailbox: () => ({
        data: {
          devMailbox: [
            {
              __typename: 'DevMail',
              id: 'm1',
              to: 'ann@shop.test',
              subject: 'Verify your email address for FlashMart',
              text: 'Open this link:\n\nhttp://127.0.0.1:8000/verify-email?token=abc\n\n<b>not html</b>',
              sentAt: '2030-01-01T10:00:00Z',
            },
          ],
        },
      }),
    });
    renderWithProviders(<DevMailboxView />, { fetch });

    expect(await screen.findByText('Verify your email address for FlashMart')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'http://127.0.0.1:8000/verify-email?token=abc' })).toHaveAttribute(
      'href',
      'http://127.0.0.1:8000/verify-email?token=abc',
    );
    expect(screen.getByText(/<b>not html<\/b>/)).toBeInTheDocument();
  });

  it('says the mailbox is for development only when the API refuses it', async () => {
    const { fetch } = fakeGraphqlFetch({
      DevMailbox: () => ({
        data: null,
        errors: [{ message: 'The development mailbox exists only in development', extensions: { code: 'FORBIDDEN' } }],
      }),
    });
    renderWithProviders(<DevMailboxView />, { fetch });

    expect(await screen.findByText('The development mailbox is only available in development.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reload' })).toBeNull();
  });
});
