/** The parts of a mail; every mail of the product is written as these and rendered to text and HTML alike. */
export interface MailContent {
  subject: string;
  /** The first line, e.g. "Hello," */
  greeting: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  /** A closing line in small print: why the person got this mail, what to do if it was not meant for them. */
  footnote?: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Renders a mail's content to a plain-text and an HTML part that say the same thing. */
export function renderMail(content: MailContent): RenderedMail {
  const textParts = [content.greeting, ...content.paragraphs];
  if (content.action) textParts.push(`${content.action.label}: ${content.action.url}`);
  if (content.footnote) textParts.push(content.footnote);
  textParts.push('— Shareplane');

  const paragraphs = content.paragraphs.map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`).join('\n');
  const action = content.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(content.action.url)}" style="background:#1c7ed6;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none;font-weight:600">${escapeHtml(content.action.label)}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#555">Or open this link: <a href="${escapeHtml(content.action.url)}">${escapeHtml(content.action.url)}</a></p>`
    : '';
  const footnote = content.footnote ? `<p style="margin:24px 0 0;font-size:12px;color:#777">${escapeHtml(content.footnote)}</p>` : '';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(content.subject)}</title></head>
<body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#222;line-height:1.5;max-width:560px;margin:0 auto;padding:24px">
<p style="margin:0 0 16px">${escapeHtml(content.greeting)}</p>
${paragraphs}
${action}
${footnote}
<p style="margin:24px 0 0;color:#777">— Shareplane</p>
</body></html>`;
  return { subject: content.subject, text: textParts.join('\n\n') + '\n', html };
}
