import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import i18next, { type i18n } from 'i18next';
import pug from 'pug';

export const MAIL_LANGUAGES = ['en', 'fr', 'vi', 'ru'] as const;

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
  /** The language actually used: the requested one if the template ships it, else `en`. */
  language: string;
}

interface CompiledTemplate {
  html: pug.compileTemplate;
  text: pug.compileTemplate;
  i18n: i18n;
  languages: string[];
  translators: Map<string, TranslateFn>;
}

export type TranslateFn = (key: string, vars?: Record<string, unknown>) => string;

/**
 * Renders `<mail.template.location>/<name>/` (html.pug, text.pug, i18n/<lang>.json). Translations fall back key by key
 * to `en`, then to the key itself; the subject is the `subject` key. Templates are compiled once, on first use, so an
 * operator's replacement folder is read at the first mail rather than at startup of every node.
 */
export class TemplateRenderer {
  private readonly root: string;
  private readonly compiled = new Map<string, CompiledTemplate>();

  constructor(templateLocation: string) {
    this.root = resolve(templateLocation.replace(/^file:\/\//, ''));
  }

  render(name: string, language: string, model: Record<string, unknown>): RenderedMail {
    const tpl = this.load(name);
    const lang = this.language(name, language);
    const t = this.translator(name, lang);
    const subject = t('subject', model).trim();
    // A blank subject means a broken translation file: fail loudly rather than send an empty subject.
    if (subject === '' || subject === 'subject') throw new Error(`email template ${name}: blank subject for ${lang}`);
    const locals = { ...model, t, lang, subject };
    return { subject, html: tpl.html(locals), text: tpl.text(locals).replace(/\n{3,}/g, '\n\n').trim() + '\n', language: lang };
  }

  /** The language a mail of this template is written in: the requested one if the template ships it, else `en`. */
  language(name: string, requested: string): string {
    return this.load(name).languages.includes(requested) ? requested : 'en';
  }

  /**
   * i18next resolves each key once per language (its key-by-key fallback to en, then the key); the resolved string is
   * cached and `{{var}}` substituted here, because i18next's per-call work was most of a mail's render time.
   * Plural calls (`count`) go to i18next every time.
   */
  translator(name: string, language: string): TranslateFn {
    const tpl = this.load(name);
    const lang = this.language(name, language);
    let fn = tpl.translators.get(lang);
    if (!fn) {
      const fixed = tpl.i18n.getFixedT(lang);
      const raw = new Map<string, string>();
      fn = (key, vars) => {
        if (vars && 'count' in vars) return fixed(key, vars);
        let text = raw.get(key);
        if (text === undefined) raw.set(key, (text = fixed(key, { skipInterpolation: true })));
        return vars ? text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_m, v: string) => String(vars[v] ?? '')) : text;
      };
      tpl.translators.set(lang, fn);
    }
    return fn;
  }

  private load(name: string): CompiledTemplate {
    const cached = this.compiled.get(name);
    if (cached) return cached;
    const dir = join(this.root, name);
    const languages = MAIL_LANGUAGES.filter((l) => existsSync(join(dir, 'i18n', `${l}.json`)));
    if (!languages.includes('en')) throw new Error(`email template ${name}: i18n/en.json is required`);
    const resources = Object.fromEntries(
      languages.map((l) => [l, { translation: JSON.parse(readFileSync(join(dir, 'i18n', `${l}.json`), 'utf8')) as Record<string, string> }]),
    );
    const instance = i18next.createInstance();
    // initAsync false + inline resources: init completes synchronously.
    void instance.init({ resources, lng: 'en', fallbackLng: 'en', interpolation: { escapeValue: false }, initAsync: false, returnNull: false });
    const tpl: CompiledTemplate = {
      html: pug.compileFile(join(dir, 'html.pug'), { basedir: this.root }),
      text: pug.compileFile(join(dir, 'text.pug'), { basedir: this.root }),
      i18n: instance,
      languages,
      translators: new Map(),
    };
    this.compiled.set(name, tpl);
    return tpl;
  }
}
