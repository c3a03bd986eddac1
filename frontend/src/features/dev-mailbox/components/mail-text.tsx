import { Fragment } from 'react';
import { Typography } from 'antd';

const URL_PATTERN = /(https?:\/\/[^\s<>"]+)/g;

/** A plain-text mail body with its links clickable (the text is never parsed as HTML). */
export function MailText({ text }: { text: string }) {
  const parts = text.split(URL_PATTERN);
  return (
    <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <a key={index} href={part}>
            {part}
          </a>
        ) : (
          <Fragment key={index}>{part}</Fragment>
        ),
      )}
    </Typography.Paragraph>
  );
}
