import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { UserManager } from 'oidc-client-ts';
import { CALLBACK_PATH, loadConsoleConfig, type ConsoleConfig } from './config';
import { devSignIn, type DevSession } from './dev-sign-in';
import type { Role, User } from './roles';

type Status = 'loading' | 'signed-out' | 'signed-in' | 'failed';

interface Session {
  status: Status;
  config: ConsoleConfig | null;
  user: User | null;
  /** Why the user is signed out or the start failed (an expired session, a provider error). */
  message: string | null;
  /** Where the user was when single sign-on sent them to the provider (the callback route goes back there). */
  returnTo: string | null;
  /** The current access token, or null when signed out. */
  getToken(): string | null;
  signInAs(userId: string, role: Role): Promise<void>;
  signInWithProvider(): Promise<void>;
  signOut(reason?: string): void;
}

const SessionContext = createContext<Session | null>(null);
const DEV_KEY = 'crm.session';

function storedDevSession(): DevSession | null {
  try {
    const session = JSON.parse(localStorage.getItem(DEV_KEY) ?? 'null') as DevSession | null;
    return session && Date.parse(session.expiresAt) > Date.now() + 60_000 ? session : null;
  } catch {
    return null;
  }
}

/** Who is signed in, and how: the development sign-in's token in localStorage, or the provider's through oidc-client-ts. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  const [status, setStatus] = useState<Status>('loading');
  const [user, setUser] = useState<User | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [returnTo, setReturnTo] = useState<string | null>(null);
  const token = useRef<string | null>(null);
  const manager = useRef<UserManager | null>(null);

  useEffect(() => {
    let cancelled = false;
    const start = async () => {
      const loaded = await loadConsoleConfig();
      if (cancelled) return;
      setConfig(loaded);
      if (loaded.signIn === 'dev') {
        const session = storedDevSession();
        token.current = session?.token ?? null;
        setUser(session?.user ?? null);
        setStatus(session ? 'signed-in' : 'signed-out');
        return;
      }
      // The OIDC client comes only where single sign-on is used: the development sign-in never loads it.
      const { createUserManager, userOf } = await import('./oidc');
      const um = createUserManager(loaded.oidc);
      manager.current = um;
      um.events.addUserLoaded((u) => {
        token.current = u.access_token;
        setUser(userOf(u, loaded.oidc));
      });
      um.events.addUserSignedOut(() => void um.removeUser());
      const oidcUser = window.location.pathname === CALLBACK_PATH ? await um.signinRedirectCallback() : await um.getUser();
      if (cancelled) return;
      if (window.location.pathname === CALLBACK_PATH) setReturnTo(typeof oidcUser?.state === 'string' ? oidcUser.state : '/');
      token.current = oidcUser && !oidcUser.expired ? oidcUser.access_token : null;
      setUser(oidcUser && !oidcUser.expired ? userOf(oidcUser, loaded.oidc) : null);
      setStatus(token.current ? 'signed-in' : 'signed-out');
    };
    start().catch((error: unknown) => {
      if (cancelled) return;
      setMessage(error instanceof Error ? error.message : String(error));
      setStatus('failed');
    });
    return () => {
      cancelled = true;
    };
  }, []);

  const signInAs = useCallback(async (userId: string, role: Role) => {
    const session = await devSignIn(userId, role);
    localStorage.setItem(DEV_KEY, JSON.stringify(session));
    token.current = session.token;
    setUser(session.user);
    setMessage(null);
    setStatus('signed-in');
  }, []);

  const signInWithProvider = useCallback(async () => {
    await manager.current?.signinRedirect({ state: window.location.pathname + window.location.search });
  }, []);

  const signOut = useCallback((reason?: string) => {
    localStorage.removeItem(DEV_KEY);
    token.current = null;
    setUser(null);
    setMessage(reason ?? null);
    setStatus('signed-out');
    void manager.current?.removeUser();
  }, []);

  const value = useMemo<Session>(
    () => ({ status, config, user, message, returnTo, getToken: () => token.current, signInAs, signInWithProvider, signOut }),
    [status, config, user, message, returnTo, signInAs, signInWithProvider, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user; only inside the signed-in part of the app. */
export function useUser(): User {
  const { user } = useSession();
  if (!user) throw new Error('useUser while signed out');
  return user;
}
