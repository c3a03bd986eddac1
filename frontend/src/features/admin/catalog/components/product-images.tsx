import { useEffect, useState } from 'react';
import { ArrowLeftOutlined, ArrowRightOutlined, DeleteOutlined, EditOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Flex, Input, Popconfirm, Space, Tag, Typography, Upload } from 'antd';
import { useTranslation } from 'react-i18next';

export interface EditableImage {
  id: string;
  url: string;
  thumbnailUrl: string;
  alt: string;
  width: number;
  height: number;
}

/** The API's default MEDIA_MAX_BYTES: larger files are refused before they are sent. */
export const MAX_UPLOAD_BYTES = 900_000;
const ACCEPT = 'image/png,image/jpeg,image/webp,image/gif';

export interface ProductImagesProps {
  productName: string;
  images: EditableImage[];
  uploading: boolean;
  /** A reorder, description or delete is running. */
  arranging: boolean;
  /** Why the last upload, move, description or delete failed. */
  errors: string[];
  /** Resolves true when the image was stored (the preview is then cleared). */
  onUpload: (file: File, alt: string) => Promise<boolean>;
  onReorder: (imageIds: string[]) => void;
  /** Resolves true when the new description was saved (the field then closes). */
  onDescribe: (imageId: string, alt: string) => Promise<boolean>;
  onDelete: (imageId: string) => void;
}

/** Edit one image's description in place: Save sends it, Cancel (or Escape) leaves it. */
function DescriptionEditor({
  label,
  initial,
  saving,
  onSave,
  onCancel,
}: {
  label: string;
  initial: string;
  saving: boolean;
  onSave: (alt: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation('console');
  const [text, setText] = useState(initial);
  return (
    <Space orientation="vertical" size={4} style={{ width: '100%', marginTop: 8 }}>
      <Input.TextArea
        aria-label={t('images.descriptionOf', { image: label })}
        placeholder={t('images.descriptionPlaceholder')}
        maxLength={200}
        autoSize={{ minRows: 2, maxRows: 4 }}
        autoFocus
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onCancel();
        }}
      />
      <Space size={4}>
        <Button size="small" type="primary" loading={saving} onClick={() => onSave(text)}>
          {t('images.save')}
        </Button>
        <Button size="small" onClick={onCancel} disabled={saving}>
          {t('images.cancel')}
        </Button>
      </Space>
    </Space>
  );
}

function moved(ids: string[], from: number, to: number): string[] {
  const next = [...ids];
  const [id] = next.splice(from, 1);
  if (id !== undefined) next.splice(to, 0, id);
  return next;
}

/** The product's pictures in display order (the first is the main one), plus upload with a preview. */
export function ProductImages({
  productName,
  images,
  uploading,
  arranging,
  errors,
  onUpload,
  onReorder,
  onDescribe,
  onDelete,
}: ProductImagesProps) {
  const { t } = useTranslation('console');
  const [chosen, setChosen] = useState<{ file: File; preview: string } | null>(null);
  const [describing, setDescribing] = useState<string | null>(null);
  // Drag and drop (mouse): the card being dragged and the one it would land on.
  const [dragged, setDragged] = useState<number | null>(null);
  const [target, setTarget] = useState<number | null>(null);
  const endDrag = () => {
    setDragged(null);
    setTarget(null);
  };
  const [alt, setAlt] = useState('');
  const [tooLarge, setTooLarge] = useState(false);

  // The preview's object URL lives as long as its choice.
  useEffect(
    () => () => {
      if (chosen) URL.revokeObjectURL(chosen.preview);
    },
    [chosen],
  );

  const clear = () => {
    setChosen(null);
    setAlt('');
  };
  const choose = (file: File) => {
    setTooLarge(file.size > MAX_UPLOAD_BYTES);
    if (file.size > MAX_UPLOAD_BYTES) clear();
    else setChosen({ file, preview: URL.createObjectURL(file) });
    return false; // keep it here until "Upload image"
  };
  const upload = async () => {
    if (chosen && (await onUpload(chosen.file, alt))) clear();
  };
  const describe = async (imageId: string, text: string) => {
    if (await onDescribe(imageId, text)) setDescribing(null);
  };
  const ids = images.map((image) => image.id);
  const messages = tooLarge ? [t('images.tooLarge', { kb: MAX_UPLOAD_BYTES / 1000 }), ...errors] : errors;

  return (
    <section aria-label={t('images.section')}>
      {messages.length > 0 && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} title={messages.join(' ')} />
      )}
      {images.length === 0 ? (
        <Empty description={t('images.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <Flex component="ul" wrap gap={12} aria-label={t('images.list')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {images.map((image, index) => {
              const label = t('images.imageN', { n: index + 1 });
              return (
                <li
                  key={image.id}
                  aria-label={t('images.itemLabel', { n: index + 1, total: images.length })}
                  draggable={!arranging && describing === null && images.length > 1}
                  onDragStart={(event) => {
                    setDragged(index);
                    event.dataTransfer.effectAllowed = 'move';
                    event.dataTransfer.setData('text/plain', image.id);
                  }}
                  onDragOver={(event) => {
                    if (dragged === null) return; // not one of these cards (a file, a link)
                    event.preventDefault();
                    event.dataTransfer.dropEffect = 'move';
                    setTarget(index);
                  }}
                  onDragLeave={() => setTarget((current) => (current === index ? null : current))}
                  onDrop={(event) => {
                    event.preventDefault();
                    if (dragged !== null && dragged !== index) onReorder(moved(ids, dragged, index));
                    endDrag();
                  }}
                  onDragEnd={endDrag}
                  style={{ opacity: dragged === index ? 0.5 : 1, cursor: images.length > 1 ? 'grab' : undefined }}
                >
                  <Card
                    size="small"
                    style={{
                      width: 168,
                      outline: target === index && dragged !== index ? '2px dashed #1677ff' : undefined,
                      outlineOffset: 2,
                    }}
                    styles={{ body: { padding: 8 } }}
                  >
                    <img
                      src={image.thumbnailUrl}
                      alt={image.alt || t('images.altFallback', { product: productName, n: index + 1 })}
                      draggable={false}
                      style={{ width: '100%', aspectRatio: '4 / 3', objectFit: 'cover', borderRadius: 6, display: 'block' }}
                    />
                    <Flex justify="space-between" align="center" style={{ marginTop: 8 }}>
                      {index === 0 ? <Tag color="blue">{t('images.main')}</Tag> : <Typography.Text type="secondary">#{index + 1}</Typography.Text>}
                      <Space size={2}>
                        <Button
                          size="small"
                          type="text"
                          icon={<ArrowLeftOutlined />}
                          aria-label={t('images.moveEarlier', { image: label })}
                          disabled={index === 0 || arranging}
                          onClick={() => onReorder(moved(ids, index, index - 1))}
                        />
                        <Button
                          size="small"
                          type="text"
                          icon={<ArrowRightOutlined />}
                          aria-label={t('images.moveLater', { image: label })}
                          disabled={index === images.length - 1 || arranging}
                          onClick={() => onReorder(moved(ids, index, index + 1))}
                        />
                        <Button
                          size="small"
                          type="text"
                          icon={<EditOutlined />}
                          aria-label={t('images.describe', { image: label })}
                          aria-expanded={describing === image.id}
                          disabled={arranging}
                          onClick={() => setDescribing(describing === image.id ? null : image.id)}
                        />
                        <Popconfirm
                          title={t('images.deleteConfirm')}
                          description={t('images.deleteDescription')}
                          okText={t('images.deleteImage')}
                          okButtonProps={{ danger: true }}
                          onConfirm={() => onDelete(image.id)}
                        >
                          <Button
                            size="small"
                            type="text"
                            danger
                            icon={<DeleteOutlined />}
                            aria-label={t('images.deleteNamed', { image: label })}
                            disabled={arranging}
                          />
                        </Popconfirm>
                      </Space>
                    </Flex>
                    {describing === image.id ? (
                      <DescriptionEditor
                        label={label}
                        initial={image.alt}
                        saving={arranging}
                        onSave={(text) => void describe(image.id, text)}
                        onCancel={() => setDescribing(null)}
                      />
                    ) : (
                      <Typography.Paragraph
                        type="secondary"
                        ellipsis={{ rows: 2, tooltip: image.alt || undefined }}
                        style={{ margin: '6px 0 0', fontSize: 12 }}
                      >
                        {image.alt || t('images.noDescription')}
                      </Typography.Paragraph>
                    )}
                  </Card>
                </li>
              );
            })}
        </Flex>
      )}

      <div style={{ marginTop: 16 }}>
        {chosen ? (
          <Flex gap={12} align="start" wrap role="group" aria-label={t('images.newImage')}>
            <img
              src={chosen.preview}
              alt={t('images.preview')}
              style={{ width: 168, aspectRatio: '4 / 3', objectFit: 'contain', background: '#fafafa', borderRadius: 6 }}
            />
            <Space orientation="vertical" style={{ flex: '1 1 200px' }}>
              <Typography.Text>
                {chosen.file.name} ({Math.ceil(chosen.file.size / 1000)} KB)
              </Typography.Text>
              <Input
                aria-label={t('images.altInput')}
                placeholder={t('images.descriptionPlaceholder')}
                maxLength={200}
                value={alt}
                onChange={(event) => setAlt(event.target.value)}
              />
              <Space>
                <Button type="primary" icon={<UploadOutlined />} loading={uploading} onClick={() => void upload()}>
                  {t('images.upload')}
                </Button>
                <Button onClick={clear} disabled={uploading}>
                  {t('images.cancel')}
                </Button>
              </Space>
            </Space>
          </Flex>
        ) : (
          <Upload accept={ACCEPT} showUploadList={false} beforeUpload={choose} maxCount={1}>
            <Button icon={<UploadOutlined />}>{t('images.choose')}</Button>
          </Upload>
        )}
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('images.help', { kb: MAX_UPLOAD_BYTES / 1000 })}
        </Typography.Paragraph>
      </div>
    </section>
  );
}
