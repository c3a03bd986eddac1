import { Flex, Spin } from 'antd';

/** Shown while a page's code loads. */
export function PageSpinner() {
  return (
    <Flex role="status" aria-label="Loading page" justify="center" align="center" style={{ minHeight: '50vh' }}>
      <Spin size="large" />
    </Flex>
  );
}
