import type { CSSProperties } from 'react';
import { CheckCircleIcon } from './icons';

export interface ProgressProps {
  /** 0-100. */
  percent: number;
  /** The percentage written after the bar. */
  showInfo?: boolean;
  /** A light running over the bar (antd's "active" status). */
  active?: boolean;
  /** The bar's colour (antd's info blue by default, green when done). */
  color?: string;
  'aria-label'?: string;
}

/** A progress bar drawn like antd's line Progress: role "progressbar" with its value; at 100%
 * (and no colour of its own) green, with a tick for the percentage. */
export function Progress({ percent, showInfo = true, active = false, color, 'aria-label': label }: ProgressProps) {
  const value = Math.max(0, Math.min(100, Math.round(percent)));
  const bar: CSSProperties = { width: `${value}%` };
  if (color) bar.background = color;
  const done = value === 100 && !color;
  const classes = ['fm-progress'];
  if (active) classes.push('fm-progress-active');
  if (done) classes.push('fm-progress-success');
  return (
    <div
      className={classes.join(' ')}
      role="progressbar"
      aria-label={label}
      aria-valuenow={value}
      aria-valuemin={0}
      aria-valuemax={100}
    >
      <div className="fm-progress-rail">
        <div className="fm-progress-bar" style={bar} />
      </div>
      {showInfo && <span className="fm-progress-text">{done ? <CheckCircleIcon /> : `${value}%`}</span>}
    </div>
  );
}
