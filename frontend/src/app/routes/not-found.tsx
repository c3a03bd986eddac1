import { Result } from 'antd';
import { Link } from 'react-router-dom';
import { paths } from '@/config/paths';

export function NotFoundRoute() {
  return (
    <Result
      status="404"
      title="Page not found"
      subTitle="There is nothing at this address."
      extra={<Link to={paths.home}>Back to the shop</Link>}
    />
  );
}
