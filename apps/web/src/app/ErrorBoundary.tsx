import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Button, Result } from 'antd';
import { i18n } from '../i18n';

/** A screen that throws while rendering shows what happened and a way on, not a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('console: a screen failed to render', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <Result
        status="error"
        title={i18n.t('state.error')}
        subTitle={this.state.error.message}
        extra={
          <Button type="primary" onClick={() => window.location.assign('/')}>
            {i18n.t('nav.home')}
          </Button>
        }
      />
    );
  }
}
