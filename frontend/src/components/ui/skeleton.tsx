/** Grey bars where text will be, shimmering (antd's active Skeleton: a title and three lines). */
export function Skeleton() {
  return (
    <div className="fm-skeleton fm-skeleton-active" aria-hidden>
      <h3 className="fm-skeleton-title" />
      <ul className="fm-skeleton-paragraph">
        <li />
        <li />
        <li />
      </ul>
    </div>
  );
}
