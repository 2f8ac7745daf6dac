/** The category grid: the catalogue's categories and the products of the one opened. */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { Product } from '../../contract';
import { createAppAsyncThunk } from '../../app/createAppAsyncThunk';
import { toUiError } from '../../lib/errors';

export interface CategoriesState {
  categories: { category: string; count: number }[];
  open: string | null;
  products: Product[];
}

const initialState: CategoriesState = { categories: [], open: null, products: [] };

export const loadCategories = createAppAsyncThunk(
  'categories/load',
  async (_: void, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('catalog.categories', {});
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const openCategory = createAppAsyncThunk(
  'categories/open',
  async (category: string, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('catalog.browse', { category, limit: 60 });
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const categoriesSlice = createSlice({
  name: 'categories',
  initialState,
  reducers: {
    categoryClosed(state) {
      state.open = null;
      state.products = [];
    },
    categoryChosen(state, action: PayloadAction<string>) {
      state.open = action.payload;
    },
  },
  extraReducers: (builder) => {
    builder
      .addCase(loadCategories.fulfilled, (state, action) => {
        state.categories = action.payload;
      })
      .addCase(openCategory.pending, (state, action) => {
        state.open = action.meta.arg;
        state.products = [];
      })
      .addCase(openCategory.fulfilled, (state, action) => {
        if (state.open === action.meta.arg) state.products = action.payload;
      });
  },
  selectors: {
    selectCategories: (state) => state.categories,
    selectOpenCategory: (state) => state.open,
    selectCategoryProducts: (state) => state.products,
  },
});

export const { categoryClosed, categoryChosen } = categoriesSlice.actions;
export const { selectCategories, selectOpenCategory, selectCategoryProducts } =
  categoriesSlice.selectors;
