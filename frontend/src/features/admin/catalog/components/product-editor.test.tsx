import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeGraphqlFetch } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { emptyProduct } from '../utils/product-form';
import { ProductEditorView } from './product-editor-view';
import { ProductForm } from './product-form';

const categories = {
  data: {
    categories: [
      { __typename: 'Category', id: 'Q2F0ZWdvcnk6MQ==', name: 'Electronics', slug: 'electronics', parent: null },
      {
        __typename: 'Category',
        id: 'Q2F0ZWdvcnk6Mg==',
        name: 'Phones',
        slug: 'phones',
        parent: { __typename: 'Category', id: 'Q2F0ZWdvcnk6MQ==' },
      },
    ],
  },
};
const userError = (field: string[] | null, message: string, code: string) => ({ __typename: 'UserError', field, message, code });
const refused = (...userErrors: ReturnType<typeof userError>[]) => ({
  data: { productCreate: { __typename: 'ProductPayload', product: null, userErrors } },
});

/** The form item (label, control and its messages) of the field labelled `label`. */
const fieldOf = (label: string) => screen.getByLabelText(label).closest('.ant-form-item') as HTMLElement;

function fillIn() {
  fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Aurora X2' } });
  fireEvent.change(screen.getByLabelText('Slug'), { target: { value: 'aurora-x1' } });
  fireEvent.change(screen.getByLabelText('Price'), { target: { value: '19.999' } });
}

describe('ProductEditorView (new product)', () => {
  it('shows each userError next to its field and the rest above the form', async () => {
    const { fetch, sent } = fakeGraphqlFetch({
      AdminCategories: () => categories,
      AdminProductCreate: () =>
        refused(
          userError(['input', 'price'], 'Use at most 2 decimal places', 'INVALID'),
          userError(['input', 'slug'], 'This slug is already used', 'UNIQUE'),
          userError(null, 'The catalog is being rebuilt', 'INVALID_STATE'),
        ),
    });
    renderWithProviders(<ProductEditorView productId={null} />, { fetch });

    fillIn();
    fireEvent.click(screen.getByRole('button', { name: 'Create product' }));

    expect(await within(fieldOf('Price')).findByText('Use at most 2 decimal places')).toBeInTheDocument();
    expect(within(fieldOf('Slug')).getByText('This slug is already used')).toBeInTheDocument();
    expect(screen.getByLabelText('Price')).toHaveAttribute('aria-invalid', 'true');
    expect(within(fieldOf('Name')).queryByRole('alert')).not.toBeInTheDocument();
    const general = screen.getByText('That is no longer possible: its status has changed. Reload to see the latest.');
    expect(general.closest('.ant-form-item')).toBeNull(); // about no field: above the form
    expect(sent.find((op) => op.operationName === 'AdminProductCreate')?.variables).toEqual({
      input: {
        name: 'Aurora X2',
        slug: 'aurora-x1',
        description: '',
        price: '19.999',
        stock: 0,
        categoryId: null,
        isPublished: false,
      },
    });
  });

  it("clears a field's message once it is edited, and replaces all messages on the next save", async () => {
    let answers = [
      refused(
        userError(['input', 'price'], 'Use at most 2 decimal places', 'INVALID'),
        userError(['input', 'slug'], 'This slug is already used', 'UNIQUE'),
      ),
      refused(userError(['input', 'slug'], 'This slug is already used', 'UNIQUE')),
    ];
    const { fetch } = fakeGraphqlFetch({
      AdminCategories: () => categories,
      AdminProductCreate: () => {
        const [next, ...rest] = answers;
        answers = rest;
        return next;
      },
    });
    renderWithProviders(<ProductEditorView productId={null} />, { fetch });

    fillIn();
    fireEvent.click(screen.getByRole('button', { name: 'Create product' }));
    await within(fieldOf('Price')).findByText('Use at most 2 decimal places');

    fireEvent.change(screen.getByLabelText('Price'), { target: { value: '19.99' } });
    await waitFor(() => expect(within(fieldOf('Price')).queryByText('Use at most 2 decimal places')).not.toBeInTheDocument());
    fireEvent.click(screen.getByRole('button', { name: 'Create product' }));

    await waitFor(() => expect(answers).toHaveLength(0));
    expect(await within(fieldOf('Slug')).findByText('This slug is already used')).toBeInTheDocument();
    expect(within(fieldOf('Price')).queryByText('Use at most 2 decimal places')).not.toBeInTheDocument();
  });

  it('goes to the new product once it is created', async () => {
    const { fetch } = fakeGraphqlFetch({
      AdminCategories: () => categories,
      AdminProductCreate: () => ({
        data: {
          productCreate: {
            __typename: 'ProductPayload',
            userErrors: [],
            product: {
              __typename: 'Product',
              id: 'UHJvZHVjdDo5',
              name: 'Aurora X2',
              slug: 'aurora-x2',
              description: '',
              stock: 0,
              isPublished: false,
              createdAt: '2030-01-01T00:00:00Z',
              price: { __typename: 'Money', amount: '19.99', currency: 'CNY' },
              category: null,
              images: [],
            },
          },
        },
      }),
    });
    renderWithProviders(<ProductEditorView productId={null} />, { fetch, url: '/admin/products/new' });

    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Aurora X2' } });
    fireEvent.change(screen.getByLabelText('Price'), { target: { value: '19.99' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create product' }));

    expect(await screen.findByText('Now at /admin/products/UHJvZHVjdDo5')).toBeInTheDocument();
  });
});

describe('ProductForm', () => {
  it('asks for name and price before sending anything', async () => {
    let submitted = false;
    renderWithProviders(
      <ProductForm
        mode="create"
        initialValues={emptyProduct}
        categories={[]}
        errors={{ byField: {}, general: [] }}
        submitting={false}
        onSubmit={() => {
          submitted = true;
        }}
      />,
    );

    fireEvent.click(screen.getByRole('button', { name: 'Create product' }));

    expect(await within(fieldOf('Name')).findByText('Enter a name')).toBeInTheDocument();
    expect(within(fieldOf('Price')).getByText('Enter a price')).toBeInTheDocument();
    expect(submitted).toBe(false);
  });

  it('leaves stock out when editing (it is set on its own)', async () => {
    renderWithProviders(
      <ProductForm
        mode="edit"
        initialValues={{ ...emptyProduct, name: 'Aurora', price: '9.99' }}
        categories={[]}
        errors={{ byField: { name: ['Use at most 200 characters'] }, general: [] }}
        submitting={false}
        onSubmit={() => undefined}
      />,
    );

    expect(screen.queryByLabelText('Stock')).not.toBeInTheDocument();
    expect(await within(fieldOf('Name')).findByText('Use at most 200 characters')).toBeInTheDocument();
    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription('Use at most 200 characters');
  });
});

describe('ProductEditorView (images)', () => {
  const lamp = (alt: string) => ({
    __typename: 'Product',
    id: 'UHJvZHVjdDo3',
    name: 'Lamp',
    slug: 'lamp',
    stock: 5,
    isPublished: true,
    createdAt: '2026-11-01T10:00:00Z',
    description: 'A lamp.',
    price: { __typename: 'Money', amount: '10.00', currency: 'USD' },
    category: null,
    images: [
      {
        __typename: 'ProductImage',
        id: 'UHJvZHVjdEltYWdlOjE=',
        url: '/media/1.png',
        thumbnailUrl: '/media/1.webp',
        alt,
        width: 10,
        height: 10,
        position: 0,
      },
    ],
  });

  it('sends a new image description and shows why the API refused one', async () => {
    let refuse = true;
    let stored = '';
    const tooLong = userError(['alt'], 'Use at most 200 characters', 'INVALID');
    const { fetch, sent } = fakeGraphqlFetch({
      AdminCategories: () => categories,
      AdminProduct: () => ({ data: { product: lamp(stored) } }),
      AdminProductImageUpdate: ({ variables }) => {
        if (refuse) return { data: { productImageUpdate: { __typename: 'ProductImagePayload', product: null, userErrors: [tooLong] } } };
        stored = variables.alt as string;
        return { data: { productImageUpdate: { __typename: 'ProductImagePayload', product: lamp(stored), userErrors: [] } } };
      },
    });
    renderWithProviders(<ProductEditorView productId="UHJvZHVjdDo3" />, { fetch });

    fireEvent.click(await screen.findByRole('button', { name: 'Describe image 1' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Description of image 1' }), { target: { value: '  A teal lamp  ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Use at most 200 characters')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Description of image 1' })).toBeInTheDocument();

    refuse = false;
    // The first answer's spinner may still be leaving the button (jsdom runs no transitions).
    fireEvent.click(screen.getByRole('button', { name: /^(loading )?Save$/ }));
    await waitFor(() => expect(screen.queryByRole('textbox', { name: 'Description of image 1' })).not.toBeInTheDocument());
    expect(sent.filter((op) => op.operationName === 'AdminProductImageUpdate').map((op) => op.variables)).toEqual([
      { id: 'UHJvZHVjdEltYWdlOjE=', alt: 'A teal lamp' },
      { id: 'UHJvZHVjdEltYWdlOjE=', alt: 'A teal lamp' },
    ]);
    expect(await screen.findByText('A teal lamp')).toBeInTheDocument();
    expect(screen.queryByText('Use at most 200 characters')).not.toBeInTheDocument();
  });
});
