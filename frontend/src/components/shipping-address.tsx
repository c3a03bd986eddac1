import { Typography } from 'antd';

/** The parts of an address every view shows (the book's entries and orders' copies alike). */
export interface PostalAddress {
  recipient: string;
  phone: string;
  region: string;
  city: string;
  district: string;
  street: string;
  postcode: string;
}

/** One line of the place: street, district, city, region and postcode. */
export function formatPlace(address: PostalAddress): string {
  return [address.street, address.district, address.city, address.region, address.postcode].filter(Boolean).join(', ');
}

/** An address as written on a parcel: who, their phone, then the place. */
export function ShippingAddress({ address }: { address: PostalAddress }) {
  return (
    <address style={{ fontStyle: 'normal' }}>
      <Typography.Text strong>{address.recipient}</Typography.Text> <Typography.Text>{address.phone}</Typography.Text>
      <div>{formatPlace(address)}</div>
    </address>
  );
}
