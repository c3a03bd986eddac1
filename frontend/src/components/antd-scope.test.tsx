import { act, render, screen } from '@testing-library/react';
import { Empty } from 'antd';
import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '@/lib/i18n';
import { AntdScope } from './antd-scope';

describe('AntdScope', () => {
  afterEach(async () => {
    await act(() => i18n.changeLanguage('en'));
  });

  it("gives antd's components the page language's strings, and a switch loads antd's with the shop's", async () => {
    render(
      <AntdScope>
        <Empty />
      </AntdScope>,
    );
    expect(screen.getByText('No data', { selector: 'div' })).toBeInTheDocument();
    await act(() => i18n.changeLanguage('zh-CN'));
    // The switch resolves once the Chinese strings, antd's among them, are there: no English flash.
    expect(screen.getByText('暂无数据', { selector: 'div' })).toBeInTheDocument();
  });
});
