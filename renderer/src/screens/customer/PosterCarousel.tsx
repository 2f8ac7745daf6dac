import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Poster } from '../../contract';
import { isLanguage } from '../../i18n';

export const POSTER_MS = 6_000;

/** The idle e-posters and coupons, one at a time; a tap shows the next. */
export function PosterCarousel({ posters }: { posters: Poster[] }) {
  const { t, i18n } = useTranslation();
  const [index, setIndex] = useState(0);
  const count = posters.length;
  useEffect(() => {
    if (count < 2) return;
    const timer = setInterval(() => setIndex((i) => (i + 1) % count), POSTER_MS);
    return () => clearInterval(timer);
  }, [count]);
  const poster = posters[index % Math.max(1, count)];
  if (poster === undefined) return null;
  const language = isLanguage(i18n.language) ? i18n.language : 'zh-CN';
  return (
    <section
      className="posters"
      aria-roledescription={t('customer.carousel')}
      aria-label={t('customer.posters')}
      data-testid="posters"
    >
      <button
        type="button"
        className="poster"
        onClick={() => setIndex((i) => (i + 1) % Math.max(1, count))}
        aria-label={t('customer.nextPoster')}
      >
        <img className="poster__image" src={poster.image} alt="" />
        <span className="poster__text">
          <span className="poster__title">{poster.title[language]}</span>
          <span className="poster__body">{poster.text[language]}</span>
        </span>
      </button>
      <div className="posters__dots" aria-hidden="true">
        {posters.map((p, i) => (
          <span key={p.id} className={`dot ${i === index % count ? 'dot--on' : ''}`} />
        ))}
      </div>
    </section>
  );
}
