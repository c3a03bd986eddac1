import { useState } from 'react';
import { Flex, Image } from 'antd';
import type { ProductDetailData } from './product-detail';
import { PicturePlaceholder } from '@/components/product-picture';
import { useTranslation } from 'react-i18next';

type Picture = ProductDetailData['images'][number];

/** The product's pictures: one large (click to zoom), the others as thumbnails to pick from. */
export function ProductGallery({ name, images }: { name: string; images: Picture[] }) {
  const { t } = useTranslation('shop');
  const [selected, setSelected] = useState(0);
  const current = images[selected] ?? images[0];
  if (!current) return <PicturePlaceholder name={name} fontSize={64} />;
  return (
    <Flex vertical gap={8}>
      <Image
        src={current.url}
        alt={current.alt || name}
        width="100%"
        style={{ aspectRatio: `${String(current.width)} / ${String(current.height)}`, objectFit: 'contain' }}
      />
      {images.length > 1 && (
        <Flex gap={8} wrap role="list" aria-label={t('catalog.pictures')}>
          {images.map((image, index) => (
            <div role="listitem" key={image.id}>
              <button
                type="button"
                aria-label={
                  image.alt
                    ? t('catalog.showPictureAlt', { number: index + 1, alt: image.alt })
                    : t('catalog.showPicture', { number: index + 1 })
                }
                aria-pressed={index === selected}
                onClick={() => setSelected(index)}
                style={{
                  padding: 0,
                  width: 72,
                  border: index === selected ? '2px solid #d4380d' : '1px solid #d9d9d9',
                  borderRadius: 6,
                  overflow: 'hidden',
                  cursor: 'pointer',
                  background: 'none',
                }}
              >
                <img src={image.thumbnailUrl} alt="" style={{ width: '100%', display: 'block' }} />
              </button>
            </div>
          ))}
        </Flex>
      )}
    </Flex>
  );
}
