import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/testing/render';
import { ProductImages, type EditableImage, type ProductImagesProps } from './product-images';

const image = (n: number): EditableImage => ({
  id: `img-${String(n)}`,
  url: `/media/${String(n)}.png`,
  thumbnailUrl: `/media/${String(n)}-thumb.webp`,
  alt: '',
  width: 10,
  height: 10,
});

function renderImages(props: Partial<ProductImagesProps> = {}) {
  const handlers = {
    onUpload: vi.fn(() => Promise.resolve(true)),
    onReorder: vi.fn(),
    onDescribe: vi.fn(() => Promise.resolve(true)),
    onDelete: vi.fn(),
  };
  renderWithProviders(
    <ProductImages
      productName="Aurora"
      images={[image(1), image(2), image(3)]}
      uploading={false}
      arranging={false}
      errors={[]}
      {...handlers}
      {...props}
    />,
  );
  return handlers;
}

describe('ProductImages', () => {
  it('moves an image one place and sends the whole new order', () => {
    const { onReorder } = renderImages();

    const list = screen.getByRole('list', { name: 'Product images' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(3);
    expect(screen.getByRole('button', { name: 'Move image 1 earlier' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Move image 3 later' })).toBeDisabled();

    fireEvent.click(screen.getByRole('button', { name: 'Move image 3 earlier' }));
    expect(onReorder).toHaveBeenLastCalledWith(['img-1', 'img-3', 'img-2']);
    fireEvent.click(screen.getByRole('button', { name: 'Move image 1 later' }));
    expect(onReorder).toHaveBeenLastCalledWith(['img-2', 'img-1', 'img-3']);
  });

  it('drops a dragged image onto another one and sends the new order', () => {
    const { onReorder } = renderImages();
    const [first, second, third] = screen.getAllByRole('listitem');
    const dataTransfer = { setData: vi.fn(), effectAllowed: '', dropEffect: '' };

    expect(third).toHaveAttribute('draggable', 'true');
    fireEvent.dragStart(third as HTMLElement, { dataTransfer });
    fireEvent.dragOver(second as HTMLElement, { dataTransfer });
    fireEvent.dragOver(first as HTMLElement, { dataTransfer });
    fireEvent.drop(first as HTMLElement, { dataTransfer });
    expect(onReorder).toHaveBeenCalledTimes(1);
    expect(onReorder).toHaveBeenLastCalledWith(['img-3', 'img-1', 'img-2']);

    // A drop onto its own place, or something dragged in from elsewhere, changes nothing.
    fireEvent.dragStart(second as HTMLElement, { dataTransfer });
    fireEvent.drop(second as HTMLElement, { dataTransfer });
    fireEvent.dragEnd(second as HTMLElement, { dataTransfer });
    fireEvent.dragOver(first as HTMLElement, { dataTransfer });
    fireEvent.drop(first as HTMLElement, { dataTransfer });
    expect(onReorder).toHaveBeenCalledTimes(1);
  });

  it('offers no dragging while a change is on its way', () => {
    renderImages({ arranging: true });
    for (const item of screen.getAllByRole('listitem')) expect(item).toHaveAttribute('draggable', 'false');
  });

  it('edits an image description in place and closes the field once it is saved', async () => {
    const { onDescribe } = renderImages({ images: [image(1), { ...image(2), alt: 'A lamp, switched off' }] });

    expect(screen.getByText('No description')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Describe image 2' }));
    const field = screen.getByRole('textbox', { name: 'Description of image 2' });
    expect(field).toHaveValue('A lamp, switched off');
    fireEvent.change(field, { target: { value: 'A lamp, lit' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(onDescribe).toHaveBeenCalledWith('img-2', 'A lamp, lit');
    await waitFor(() => expect(screen.queryByRole('textbox', { name: 'Description of image 2' })).not.toBeInTheDocument());
  });

  it('keeps the description field open when saving fails, and Escape leaves it unchanged', async () => {
    const onDescribe = vi.fn(() => Promise.resolve(false));
    renderImages({ onDescribe });

    fireEvent.click(screen.getByRole('button', { name: 'Describe image 1' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Description of image 1' }), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onDescribe).toHaveBeenCalledWith('img-1', 'x'));
    expect(screen.getByRole('textbox', { name: 'Description of image 1' })).toHaveValue('x');

    fireEvent.keyDown(screen.getByRole('textbox', { name: 'Description of image 1' }), { key: 'Escape' });
    expect(screen.queryByRole('textbox', { name: 'Description of image 1' })).not.toBeInTheDocument();
    expect(onDescribe).toHaveBeenCalledTimes(1);
  });

  it('deletes an image only after confirmation', async () => {
    const { onDelete } = renderImages();

    fireEvent.click(screen.getByRole('button', { name: 'Delete image 2' }));
    expect(onDelete).not.toHaveBeenCalled();
    fireEvent.click(await screen.findByRole('button', { name: 'Delete image' }));
    expect(onDelete).toHaveBeenCalledWith('img-2');
  });

  it('says there are no images yet and shows why an upload failed', () => {
    renderImages({ images: [], errors: ['That file type is not supported.'] });

    expect(screen.getByText('No images yet')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('That file type is not supported.');
    expect(screen.getByRole('button', { name: /Choose image/ })).toBeInTheDocument();
  });
});
