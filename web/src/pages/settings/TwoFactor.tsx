import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { keys } from '../../api/queries';
import type { Account } from '../../api/types';
import { useI18n } from '../../i18n';
import { FormError, TextField } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';

interface Enrolment {
  secret: string;
  otpauth_uri: string;
}

/** The QR code is drawn in the browser (the secret never leaves for a QR service). */
function QrCode({ text }: { text: string }) {
  const { t } = useI18n();
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    import('uqr').then(({ renderSVG }) => setSvg(renderSVG(text, { border: 1 })));
  }, [text]);
  if (!svg) return null;
  return (
    <img className="qr" src={`data:image/svg+xml;utf8,${encodeURIComponent(svg)}`} alt={t('twofa.qrAlt')} />
  );
}

/** Two-factor authentication: enrol with a QR code and a first code, see the recovery codes once, turn it off. */
export function TwoFactor({ account }: { account: Account }) {
  const { t, plural } = useI18n();
  const queries = useQueryClient();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');

  const start = useSubmit([], async () => {
    setEnrolment(await api<Enrolment>('/api/v1/account/totp', { method: 'POST' }));
  });
  const confirm = useSubmit(['code'], async () => {
    const answer = await api<{ recovery_codes: string[] }>('/api/v1/account/totp/confirm', {
      method: 'POST',
      body: { code: code.replace(/\s/g, '') },
    });
    setCodes(answer.recovery_codes);
    setEnrolment(null);
    setCode('');
    await queries.invalidateQueries({ queryKey: keys.account });
  });
  const disable = useSubmit(['code'], async () => {
    await api('/api/v1/account/totp', { method: 'DELETE', body: { code: code.replace(/\s/g, '') } });
    setCode('');
    await queries.invalidateQueries({ queryKey: keys.account });
  });

  return (
    <section className="card" aria-labelledby="twofa-title" data-testid="two-factor">
      <h2 id="twofa-title" style={{ marginTop: 0 }}>
        {t('twofa.title')}
      </h2>
      {codes && (
        <div className="success" role="status">
          <p style={{ marginTop: 0 }}>{t('twofa.recoveryExplain')}</p>
          <div className="codes" data-testid="recovery-codes">
            {codes.map((c) => (
              <span key={c}>{c}</span>
            ))}
          </div>
          <div className="actions">
            <button
              type="button"
              className="secondary"
              onClick={() => navigator.clipboard?.writeText(codes.join('\n'))}
            >
              {t('twofa.copy')}
            </button>
            <button type="button" className="link" onClick={() => setCodes(null)}>
              {t('twofa.stored')}
            </button>
          </div>
        </div>
      )}
      {account.two_factor_enabled && !codes && (
        <form onSubmit={disable.onSubmit} noValidate>
          <p>
            {t('twofa.on')}{' '}
            <span className="muted small">{plural('twofa.codesLeft', account.recovery_codes_left ?? 0)}</span>
          </p>
          <FormError message={disable.formError} />
          <TextField
            label={t('twofa.disableCode')}
            error={disable.fieldError('code')}
            autoComplete="one-time-code"
            value={code}
            onChange={setCode}
          />
          <button type="submit" className="secondary" disabled={disable.pending}>
            {t('twofa.disable')}
          </button>
        </form>
      )}
      {!account.two_factor_enabled && !enrolment && (
        <>
          <p className="muted">{t('twofa.off')}</p>
          <FormError message={start.formError} />
          <button type="button" onClick={() => start.onSubmit()} disabled={start.pending}>
            {t('twofa.enable')}
          </button>
        </>
      )}
      {enrolment && (
        <form onSubmit={confirm.onSubmit} noValidate>
          <p>{t('twofa.scan')}</p>
          <QrCode text={enrolment.otpauth_uri} />
          <p className="small">
            {t('twofa.manual')} <code data-testid="totp-secret">{enrolment.secret}</code>
          </p>
          <FormError message={confirm.formError} />
          <TextField
            label={t('field.code')}
            error={confirm.fieldError('code')}
            inputMode="numeric"
            autoComplete="one-time-code"
            value={code}
            onChange={setCode}
          />
          <div className="actions">
            <button type="submit" disabled={confirm.pending}>
              {t('twofa.confirm')}
            </button>
            <button type="button" className="link" onClick={() => setEnrolment(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
