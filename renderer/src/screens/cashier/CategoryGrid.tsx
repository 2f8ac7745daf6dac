import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useLocalName, useMoney } from '../../components/hooks';
import type { Product } from '../../contract';
import {
  categoryClosed,
  openCategory,
  selectCategories,
  selectCategoryProducts,
  selectOpenCategory,
} from '../../features/categories/categoriesSlice';
import { useCategoryName } from './categoryName';

/** Touch tiles: a category, then its products; a tap adds one. */
export function CategoryGrid({ onPick }: { onPick: (product: Product) => void }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const money = useMoney();
  const name = useLocalName();
  const categoryName = useCategoryName();
  const categories = useAppSelector(selectCategories);
  const open = useAppSelector(selectOpenCategory);
  const products = useAppSelector(selectCategoryProducts);

  return (
    <section className="categories" aria-label={t('categories.label')}>
      {open === null ? (
        <div className="tiles">
          {categories.map((c) => (
            <button
              key={c.category}
              type="button"
              className="tile tile--category"
              onClick={() => void dispatch(openCategory(c.category))}
            >
              {categoryName(c.category)}
            </button>
          ))}
        </div>
      ) : (
        <>
          <div className="categories__head">
            <button
              type="button"
              className="btn btn-ghost btn-small"
              onClick={() => dispatch(categoryClosed())}
            >
              ← {t('categories.back')}
            </button>
            <h2 className="categories__title">{categoryName(open)}</h2>
          </div>
          <div className="tiles tiles--products">
            {products.map((p) => (
              <button key={p.sku} type="button" className="tile" onClick={() => onPick(p)}>
                <span className="tile__name">{name(p)}</span>
                <span className="tile__price">{money(p.priceFen)}</span>
              </button>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
