import { NavLink, Outlet } from 'react-router';
import './admin.css';

const sections = [
  { path: '/admin/tokens', label: 'Tokens' },
  { path: '/admin/signers', label: 'Trusted signers' },
  { path: '/admin/webhooks', label: 'Webhooks' },
  { path: '/admin/environments', label: 'Environments' },
];

/** The admin pages' own menu; each page has its h1 and shows the server's 403 where listing is refused. */
export function AdminLayout() {
  return (
    <div className="admin">
      <nav aria-label="Admin" className="sub-nav">
        <ul>
          {sections.map((s) => (
            <li key={s.path}>
              <NavLink to={s.path}>{s.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}
