import { useState, type ReactElement } from 'react';
import { Dropdown, type MenuProps } from 'antd';
import { AntdScope } from '@/components/antd-scope';

/**
 * The signed-in shopper's menu around the header's account button (src/features/account/components/account-menu.tsx),
 * loaded on the button's first click (antd's Dropdown and Menu stay out of every page's first
 * visit), so it comes up open; later clicks toggle it as antd's click trigger does. The header
 * is outside the antd routes' scope, so the menu brings its own (the shop's theme).
 */
export function AccountDropdown({
  items,
  onPick,
  children,
}: {
  items: NonNullable<MenuProps['items']>;
  onPick: (key: string) => void;
  children: ReactElement;
}) {
  const [open, setOpen] = useState(true);
  return (
    <AntdScope>
      <Dropdown
        trigger={['click']}
        open={open}
        onOpenChange={setOpen}
        menu={{
          items,
          onClick: ({ key }) => {
            setOpen(false);
            onPick(key);
          },
        }}
      >
        {children}
      </Dropdown>
    </AntdScope>
  );
}
