/** Shown where a product has no picture yet: its initial on a quiet background. */
export function PicturePlaceholder({ name, fontSize = 40 }: { name: string; fontSize?: number }) {
  return (
    <div
      aria-hidden
      style={{ aspectRatio: '4 / 3', display: 'grid', placeItems: 'center', background: '#f5f5f5', borderRadius: 8 }}
    >
      <span className="fm-secondary" style={{ fontSize }}>
        {name.slice(0, 1).toUpperCase()}
      </span>
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
