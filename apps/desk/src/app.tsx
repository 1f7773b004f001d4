import type { StreamState } from '@gdhk/client';
import { createContext } from 'preact';
import { useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, createApi, liveFeed, type Api } from './api.ts';
import { initialLocale, LOCALE_NAMES, LOCALES, MESSAGES, rememberLocale, type Locale, type Messages } from './i18n.ts';
import { DecisionsPage } from './pages/decisions.tsx';
import { ItemPage } from './pages/item.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { VerificationPage } from './pages/verification.tsx';
import { currentSession, signOut, storeToken, takeTokenFromFragment, type Session, type TokenProblem } from './session.ts';

export interface Desk {
  readonly api: Api;
  readonly locale: Locale;
  readonly t: Messages;
  /** grows with every change the feed announces: pages reload when it moves */
  readonly revision: number;
  readonly fail: (error: unknown) => void;
}

const DeskContext = createContext<Desk | undefined>(undefined);

export function useDesk(): Desk {
  const desk = useContext(DeskContext);
  if (!desk) throw new Error('useDesk outside the desk');
  return desk;
}

/** Loads with `load` whenever the language, the feed's revision or `keys` change; retries 503s. */
export function useLoaded<T>(load: (api: Api) => Promise<T>, keys: readonly unknown[] = []): { data: T | undefined; rebuilding: boolean } {
  const desk = useDesk();
  const [data, setData] = useState<T | undefined>(undefined);
  const [rebuilding, setRebuilding] = useState(false);
  const [retry, setRetry] = useState(0);
  useEffect(() => {
    let current = true;
    load(desk.api).then(
      (value) => {
        if (!current) return;
        setData(value);
        setRebuilding(false);
      },
      (error: unknown) => {
        if (!current) return;
        if (error instanceof ApiError && error.status === 503) {
          setRebuilding(true);
          setTimeout(() => setRetry((count) => count + 1), 2000);
        } else desk.fail(error);
      },
    );
    return () => {
      current = false;
    };
  }, [desk.api, desk.revision, retry, ...keys]);
  return { data, rebuilding };
}

type Route = { page: 'overview' } | { page: 'item'; itemId: string } | { page: 'decisions' } | { page: 'verification' };

function routeOf(hash: string): Route {
  const item = /^#\/items\/(\d{4}-\d{2})$/.exec(hash);
  if (item?.[1]) return { page: 'item', itemId: item[1] };
  if (hash === '#/decisions') return { page: 'decisions' };
  if (hash === '#/verification') return { page: 'verification' };
  return { page: 'overview' };
}

function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(routeOf(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function App() {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const [session, setSession] = useState<Session | TokenProblem>(() => {
    takeTokenFromFragment();
    return currentSession();
  });
  const t = MESSAGES[locale];
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = t.appTitle;
  }, [locale, t]);
  const chooseLocale = (next: Locale) => {
    rememberLocale(next);
    setLocale(next);
  };
  return typeof session === 'string' ? (
    <SignIn problem={session} t={t} locale={locale} onLocale={chooseLocale} onToken={(token) => {
      storeToken(token);
      setSession(currentSession());
    }} />
  ) : (
    <SignedIn session={session} locale={locale} t={t} onLocale={chooseLocale} onSignOut={(problem) => {
      signOut();
      setSession(problem);
    }} />
  );
}

function LanguageSwitch({ locale, t, onLocale }: { locale: Locale; t: Messages; onLocale: (locale: Locale) => void }) {
  return (
    <label class="language">
      {t.language}{' '}
      <select value={locale} onChange={(event) => { const chosen = LOCALES.find((code) => code === event.currentTarget.value); if (chosen) onLocale(chosen); }} data-testid="language">
        {LOCALES.map((code) => (
          <option key={code} value={code} lang={code}>{LOCALE_NAMES[code]}</option>
        ))}
      </select>
    </label>
  );
}

function SignIn({ problem, t, locale, onLocale, onToken }: { problem: TokenProblem; t: Messages; locale: Locale; onLocale: (locale: Locale) => void; onToken: (token: string) => void }) {
  const [token, setToken] = useState('');
  const reason = { missing: t.tokenMissing, expired: t.tokenExpired, invalid: t.tokenInvalid, wrongRole: t.tokenWrongRole }[problem];
  return (
    <main class="sign-in" id="main">
      <header class="bar">
        <h1>{t.appTitle}</h1>
        <LanguageSwitch locale={locale} t={t} onLocale={onLocale} />
      </header>
      <h2>{t.signInTitle}</h2>
      <p role="alert" data-testid="sign-in-reason">{reason}</p>
      <p>{t.signInIntro}</p>
      <form onSubmit={(event) => {
        event.preventDefault();
        onToken(token);
      }}>
        <label for="token">{t.signInToken}</label>
        <textarea id="token" rows={4} value={token} onInput={(event) => setToken(event.currentTarget.value)} autocomplete="off" spellcheck={false} />
        <button type="submit">{t.signInButton}</button>
      </form>
    </main>
  );
}

function SignedIn({ session, locale, t, onLocale, onSignOut }: { session: Session; locale: Locale; t: Messages; onLocale: (locale: Locale) => void; onSignOut: (problem: TokenProblem) => void }) {
  const route = useRoute();
  const [revision, setRevision] = useState(0);
  const [connection, setConnection] = useState<StreamState>('connecting');
  // How many feed entries arrived and the last one's cursor: shown to tests and the curious, not to the eye.
  const [received, setReceived] = useState<{ count: number; last: string }>({ count: 0, last: '' });
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const api = useMemo(() => createApi(session.token, locale), [session.token, locale]);

  useEffect(() => {
    // Changes arrive in bursts: one reload per 150 ms keeps every change within the 2 s promise.
    const stream = liveFeed(session.token, (event) => {
      setReceived((previous) => ({ count: previous.count + 1, last: event.id ?? previous.last }));
      if (pending.current === undefined) pending.current = setTimeout(() => {
        pending.current = undefined;
        setRevision((value) => value + 1);
      }, 150);
    }, (state) => {
      setConnection(state);
      if (state === 'open') setRevision((value) => value + 1);
      if (state === 'unauthorized') onSignOut(currentSession() === 'expired' ? 'expired' : 'wrongRole');
    });
    return () => stream.close();
  }, [session.token]);

  const desk: Desk = {
    api,
    locale,
    t,
    revision,
    fail: (error) => {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) onSignOut(error.status === 401 ? (currentSession() === 'expired' ? 'expired' : 'invalid') : 'wrongRole');
      else console.error(error);
    },
  };
  const current = (page: Route['page']) => (route.page === page || (page === 'overview' && route.page === 'item') ? 'page' : undefined);
  return (
    <DeskContext.Provider value={desk}>
      <a class="skip" href="#main" onClick={(event) => {
        event.preventDefault();
        document.getElementById('main')?.focus();
      }}>{t.skip}</a>
      <header class="bar">
        <h1>{t.appTitle}</h1>
        <nav aria-label={t.appTitle}>
          <a href="#/" aria-current={current('overview')}>{t.navOverview}</a>
          <a href="#/decisions" aria-current={current('decisions')}>{t.navDecisions}</a>
          <a href="#/verification" aria-current={current('verification')}>{t.navVerification}</a>
        </nav>
        <p class={`connection connection-${connection}`} role="status" data-testid="connection" data-state={connection} data-received={received.count} data-last-event-id={received.last}>
          {t.connection}: {t[connection]}
        </p>
        <LanguageSwitch locale={locale} t={t} onLocale={onLocale} />
        <button type="button" class="link" onClick={() => onSignOut('missing')}>{t.signOut}</button>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === 'overview' && <OverviewPage />}
        {route.page === 'item' && <ItemPage itemId={route.itemId} />}
        {route.page === 'decisions' && <DecisionsPage />}
        {route.page === 'verification' && <VerificationPage />}
      </main>
    </DeskContext.Provider>
  );
}
