import { Typography } from 'antd';

/** Shown where a product has no picture yet: its initial on a quiet background. */
export function PicturePlaceholder({ name, fontSize = 40 }: { name: string; fontSize?: number }) {
  return (
    <div
      aria-hidden
      style={{ aspectRatio: '4 / 3', display: 'grid', placeItems: 'center', background: '#f5f5f5', borderRadius: 8 }}
    >
      <Typography.Text type="secondary" style={{ fontSize }}>
        {name.slice(0, 1).toUpperCase()}
      </Typography.Text>
    </div>
  );
}

export function Thumbnail({ src, alt }: { src: string; alt: string }) {
  return (
    <img
      src={src}
      alt={alt}
      loading="lazy"
      style={{ width: '100%', aspectRatio: '4 / 3', objectFit: 'cover', borderRadius: 8, display: 'block' }}
    />
  );
}
