import type { HTMLAttributes, ReactNode } from 'react';
import { CheckCircleIcon, CloseCircleIcon, ExclamationCircleIcon, InfoCircleIcon } from './icons';

const ICONS = {
  success: CheckCircleIcon,
  info: InfoCircleIcon,
  warning: ExclamationCircleIcon,
  error: CloseCircleIcon,
};

export interface AlertProps extends Omit<HTMLAttributes<HTMLDivElement>, 'title'> {
  type?: keyof typeof ICONS;
  title: ReactNode;
  description?: ReactNode;
  /** A link or button at the end of the title's line. */
  action?: ReactNode;
}

/**
 * A message in a coloured box with its icon, drawn like antd's Alert with `showIcon`
 * (src/app/styles.css, `.fm-alert`). Announced as antd's is (role "alert") unless `role` says otherwise.
 */
export function Alert({ type = 'info', title, description, action, className, role = 'alert', ...rest }: AlertProps) {
  const Icon = ICONS[type];
  const classes = ['fm-alert', `fm-alert-${type}`];
  if (description) classes.push('fm-alert-with-description');
  if (className) classes.push(className);
  return (
    <div role={role} className={classes.join(' ')} {...rest}>
      <Icon className="fm-alert-icon" />
      <div className="fm-alert-content">
        <div className="fm-alert-title">{title}</div>
        {description && <div className="fm-alert-description">{description}</div>}
      </div>
      {action && <div className="fm-alert-action">{action}</div>}
    </div>
  );
}
