import type { ButtonHTMLAttributes, MouseEvent, ReactNode, Ref } from 'react';
import { LoadingIcon } from './icons';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** "primary": filled in the primary colour; "default": outlined. */
  variant?: 'primary' | 'default';
  size?: 'small' | 'middle' | 'large';
  /** As wide as its container. */
  block?: boolean;
  /** Shows a spinner and ignores clicks (it stays focusable, as antd's does). */
  loading?: boolean;
  icon?: ReactNode;
  ref?: Ref<HTMLButtonElement>;
}

/** A button drawn like antd's (src/app/styles.css, `.fm-btn`): the browser's own button element. */
export function Button({
  variant = 'default',
  size = 'middle',
  block = false,
  loading = false,
  icon,
  type = 'button',
  className,
  onClick,
  children,
  ...rest
}: ButtonProps) {
  const classes = ['fm-btn', `fm-btn-${variant}`];
  if (size !== 'middle') classes.push(`fm-btn-${size}`);
  const iconOnly = children === undefined || children === null || children === false;
  if (iconOnly) classes.push('fm-btn-icon-only');
  if (block) classes.push('fm-btn-block');
  if (loading) classes.push('fm-btn-loading');
  if (className) classes.push(className);
  return (
    <button
      type={type}
      className={classes.join(' ')}
      onClick={(event: MouseEvent<HTMLButtonElement>) => {
        if (!loading) onClick?.(event);
      }}
      {...rest}
    >
      {loading ? <LoadingIcon className="fm-spin" /> : icon}
      {!iconOnly && <span>{children}</span>}
    </button>
  );
}
