import { useEffect, useState } from 'react';
import { InputNumber } from 'antd';

export interface QuantityInputProps {
  label: string;
  value: number;
  max?: number;
  disabled?: boolean;
  /** Called once the shopper stops changing the number (after `delay` ms), only with a new valid value. */
  onCommit: (quantity: number) => void;
  delay?: number;
}

/** A whole number of units; typing "12" sends 12 once, not 1 and then 12. */
export function QuantityInput({ label, value, max, disabled, onCommit, delay = 400 }: QuantityInputProps) {
  const [draft, setDraft] = useState<number | null>(value);
  const [committed, setCommitted] = useState(value);
  if (committed !== value) {
    // The server's value changed (our commit came back, or another tab): show it.
    setCommitted(value);
    setDraft(value);
  }
  useEffect(() => {
    if (draft === null || draft === value || !Number.isInteger(draft) || draft < 1) return;
    const timer = window.setTimeout(() => onCommit(draft), delay);
    return () => window.clearTimeout(timer);
  }, [draft, value, delay, onCommit]);
  return (
    <InputNumber
      aria-label={label}
      min={1}
      max={max}
      precision={0}
      value={draft}
      disabled={disabled}
      onChange={(next) => setDraft(next)}
      style={{ width: 96 }}
    />
  );
}
