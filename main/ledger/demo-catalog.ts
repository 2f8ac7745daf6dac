/**
 * The demo shop: about 200 everyday products of a Chinese convenience store, deterministic
 * (same SKUs, barcodes and prices on every machine) so that demos, tests and screenshots agree.
 * Barcodes are EAN-13 with the Chinese GS1 prefixes 690-693. Tax: 9 % for farm produce, grain,
 * edible oil, milk and books (China's lower VAT rate), 13 % for everything else.
 */
import { makeEan13, type Product } from '../contract';

interface Group {
  code: string;
  category: string;
  taxRateBp: number;
  /** [Chinese name, English name, price in fen] */
  items: readonly (readonly [string, string, number])[];
}

const GROUPS: readonly Group[] = [
  {
    code: 'DRK',
    category: 'drinks',
    taxRateBp: 1300,
    items: [
      ['纯净水 550ml', 'Purified water 550ml', 200],
      ['矿泉水 1.5L', 'Mineral water 1.5L', 450],
      ['苏打水 柠檬味 330ml', 'Lemon soda water 330ml', 450],
      ['可乐 330ml', 'Cola 330ml', 300],
      ['可乐 2L', 'Cola 2L', 750],
      ['雪碧型柠檬汽水 500ml', 'Lemon-lime soda 500ml', 350],
      ['橙味汽水 500ml', 'Orange soda 500ml', 350],
      ['冰红茶 500ml', 'Iced black tea 500ml', 350],
      ['绿茶饮料 500ml', 'Green tea drink 500ml', 350],
      ['茉莉花茶饮料 500ml', 'Jasmine tea drink 500ml', 350],
      ['乌龙茶 无糖 500ml', 'Unsweetened oolong tea 500ml', 500],
      ['橙汁 1L', 'Orange juice 1L', 1290],
      ['苹果汁 1L', 'Apple juice 1L', 1190],
      ['椰子汁 245ml', 'Coconut milk drink 245ml', 450],
      ['杏仁露 240ml', 'Almond drink 240ml', 400],
      ['凉茶 310ml', 'Herbal tea 310ml', 450],
      ['酸梅汤 500ml', 'Sour plum drink 500ml', 500],
      ['运动饮料 600ml', 'Sports drink 600ml', 550],
      ['能量饮料 250ml', 'Energy drink 250ml', 600],
      ['冰咖啡 拿铁 280ml', 'Iced latte 280ml', 700],
      ['速溶咖啡 三合一 10条', 'Instant coffee 3-in-1, 10 sticks', 2490],
      ['挂耳咖啡 10包', 'Drip coffee bags, 10', 3990],
      ['红茶包 25袋', 'Black tea bags, 25', 1590],
      ['龙井茶 100g', 'Longjing green tea 100g', 6800],
      ['啤酒 500ml', 'Lager beer 500ml', 600],
      ['精酿啤酒 330ml', 'Craft beer 330ml', 1500],
      ['黄酒 500ml', 'Yellow rice wine 500ml', 1280],
      ['米酒 300g', 'Sweet rice wine 300g', 890],
      ['豆奶 250ml', 'Soy milk drink 250ml', 350],
      ['气泡水 白桃味 480ml', 'White peach sparkling water 480ml', 550],
    ],
  },
  {
    code: 'SNK',
    category: 'snacks',
    taxRateBp: 1300,
    items: [
      ['原味薯片 70g', 'Salted potato chips 70g', 750],
      ['黄瓜味薯片 70g', 'Cucumber potato chips 70g', 750],
      ['番茄味薯片 70g', 'Tomato potato chips 70g', 750],
      ['虾条 60g', 'Prawn crackers 60g', 550],
      ['锅巴 100g', 'Crispy rice crackers 100g', 590],
      ['苏打饼干 400g', 'Soda crackers 400g', 1290],
      ['夹心饼干 巧克力 100g', 'Chocolate sandwich cookies 100g', 690],
      ['威化饼 柠檬味 150g', 'Lemon wafers 150g', 890],
      ['蛋卷 120g', 'Egg rolls 120g', 1090],
      ['牛肉干 五香 100g', 'Five-spice beef jerky 100g', 2590],
      ['猪肉脯 100g', 'Pork jerky 100g', 1990],
      ['鸭脖 麻辣 150g', 'Spicy duck neck 150g', 1890],
      ['卤蛋 5枚', 'Braised eggs, 5', 990],
      ['辣条 100g', 'Spicy gluten strips 100g', 350],
      ['豆干 五香 200g', 'Five-spice dried tofu 200g', 890],
      ['海苔 原味 30g', 'Roasted seaweed 30g', 990],
      ['瓜子 原味 200g', 'Roasted sunflower seeds 200g', 790],
      ['开心果 150g', 'Pistachios 150g', 2990],
      ['花生 盐焗 250g', 'Salted peanuts 250g', 990],
      ['混合坚果 每日装 25g', 'Daily mixed nuts 25g', 490],
      ['牛奶巧克力 80g', 'Milk chocolate 80g', 1290],
      ['黑巧克力 70% 100g', 'Dark chocolate 70% 100g', 1890],
      ['水果软糖 100g', 'Fruit gummies 100g', 690],
      ['薄荷糖 35g', 'Mints 35g', 890],
      ['口香糖 薄荷 40g', 'Mint chewing gum 40g', 990],
      ['棒棒糖', 'Lollipop', 100],
      ['果冻 6杯', 'Fruit jelly cups, 6', 1190],
      ['山楂片 200g', 'Hawthorn flakes 200g', 690],
      ['话梅 100g', 'Preserved plums 100g', 990],
      ['爆米花 焦糖 100g', 'Caramel popcorn 100g', 890],
    ],
  },
  {
    code: 'DRY',
    category: 'dairy',
    taxRateBp: 900,
    items: [
      ['纯牛奶 250ml', 'Whole milk 250ml', 350],
      ['纯牛奶 1L', 'Whole milk 1L', 1290],
      ['低脂牛奶 1L', 'Low-fat milk 1L', 1390],
      ['鲜牛奶 950ml', 'Fresh milk 950ml', 1690],
      ['脱脂牛奶 250ml', 'Skimmed milk 250ml', 400],
      ['巧克力牛奶 250ml', 'Chocolate milk 250ml', 450],
      ['草莓牛奶 250ml', 'Strawberry milk 250ml', 450],
      ['高钙牛奶 250ml', 'High-calcium milk 250ml', 400],
      ['舒化无乳糖牛奶 220ml', 'Lactose-free milk 220ml', 550],
      ['羊奶 200ml', 'Goat milk 200ml', 890],
      ['原味酸奶 200g', 'Plain yogurt 200g', 550],
      ['草莓酸奶 200g', 'Strawberry yogurt 200g', 590],
      ['希腊酸奶 100g', 'Greek yogurt 100g', 790],
      ['老酸奶 凝固型 150g', 'Set-style yogurt 150g', 690],
      ['乳酸菌饮料 5瓶', 'Probiotic drink, 5 bottles', 1190],
      ['芝士片 10片', 'Cheese slices, 10', 2290],
      ['奶酪棒 5支', 'Cheese sticks, 5', 2590],
      ['黄油 200g', 'Butter 200g', 2890],
      ['淡奶油 250ml', 'Whipping cream 250ml', 2190],
      ['奶粉 全脂 400g', 'Whole milk powder 400g', 4590],
    ],
  },
  {
    code: 'GRN',
    category: 'grain & oil',
    taxRateBp: 900,
    items: [
      ['东北大米 5kg', 'Northeast rice 5kg', 4990],
      ['香米 2.5kg', 'Fragrant rice 2.5kg', 3290],
      ['小米 1kg', 'Millet 1kg', 1590],
      ['糯米 1kg', 'Glutinous rice 1kg', 1390],
      ['高筋面粉 2.5kg', 'Bread flour 2.5kg', 2190],
      ['挂面 1kg', 'Dried noodles 1kg', 990],
      ['燕麦片 1kg', 'Rolled oats 1kg', 2590],
      ['红豆 500g', 'Red beans 500g', 990],
      ['绿豆 500g', 'Mung beans 500g', 890],
      ['黄豆 1kg', 'Soybeans 1kg', 1290],
      ['花生油 1.8L', 'Peanut oil 1.8L', 4990],
      ['菜籽油 5L', 'Rapeseed oil 5L', 7990],
      ['玉米油 1.8L', 'Corn oil 1.8L', 3290],
      ['芝麻油 220ml', 'Sesame oil 220ml', 1890],
      ['橄榄油 500ml', 'Olive oil 500ml', 5990],
      ['面包 切片 400g', 'Sliced bread 400g', 1090],
      ['全麦面包 400g', 'Wholemeal bread 400g', 1290],
      ['馒头 6个', 'Steamed buns, 6', 690],
      ['速冻水饺 猪肉白菜 500g', 'Frozen pork and cabbage dumplings 500g', 2290],
      ['速冻汤圆 黑芝麻 400g', 'Frozen sesame rice balls 400g', 1590],
    ],
  },
  {
    code: 'INS',
    category: 'instant food & seasoning',
    taxRateBp: 1300,
    items: [
      ['红烧牛肉面 桶装', 'Braised beef noodles, cup', 550],
      ['香辣牛肉面 5连包', 'Spicy beef noodles, 5-pack', 1390],
      ['酸辣粉 桶装', 'Hot and sour glass noodles, cup', 690],
      ['螺蛳粉 300g', 'River snail rice noodles 300g', 1390],
      ['自热米饭 煲仔饭', 'Self-heating claypot rice', 2290],
      ['火腿肠 10支', 'Ham sausages, 10', 1290],
      ['午餐肉罐头 340g', 'Luncheon meat 340g', 1990],
      ['八宝粥 360g', 'Eight-treasure congee 360g', 450],
      ['榨菜 80g', 'Pickled mustard tuber 80g', 250],
      ['老干妈风味辣椒酱 280g', 'Chili crisp sauce 280g', 1190],
      ['生抽酱油 500ml', 'Light soy sauce 500ml', 990],
      ['老抽酱油 500ml', 'Dark soy sauce 500ml', 1090],
      ['陈醋 500ml', 'Aged vinegar 500ml', 890],
      ['蚝油 510g', 'Oyster sauce 510g', 1290],
      ['食盐 400g', 'Table salt 400g', 250],
      ['白砂糖 500g', 'White sugar 500g', 590],
      ['鸡精 200g', 'Chicken bouillon 200g', 890],
      ['火锅底料 麻辣 200g', 'Spicy hotpot base 200g', 1590],
      ['豆瓣酱 500g', 'Chili bean paste 500g', 990],
      ['番茄酱 320g', 'Tomato ketchup 320g', 890],
    ],
  },
  {
    code: 'FRS',
    category: 'fresh produce',
    taxRateBp: 900,
    items: [
      ['苹果 富士 1kg', 'Fuji apples 1kg', 1290],
      ['香蕉 1kg', 'Bananas 1kg', 790],
      ['砂糖橘 1kg', 'Mandarins 1kg', 990],
      ['葡萄 巨峰 500g', 'Kyoho grapes 500g', 1590],
      ['西瓜 半个', 'Half watermelon', 1990],
      ['草莓 300g', 'Strawberries 300g', 2590],
      ['猕猴桃 4个', 'Kiwifruit, 4', 1290],
      ['梨 1kg', 'Pears 1kg', 990],
      ['芒果 2个', 'Mangoes, 2', 1590],
      ['火龙果 1个', 'Dragon fruit, 1', 890],
      ['柠檬 3个', 'Lemons, 3', 690],
      ['番茄 500g', 'Tomatoes 500g', 590],
      ['黄瓜 500g', 'Cucumbers 500g', 490],
      ['土豆 1kg', 'Potatoes 1kg', 590],
      ['胡萝卜 500g', 'Carrots 500g', 390],
      ['大白菜 1棵', 'Napa cabbage, 1 head', 690],
      ['西兰花 1颗', 'Broccoli, 1 head', 790],
      ['菠菜 300g', 'Spinach 300g', 590],
      ['生菜 300g', 'Lettuce 300g', 490],
      ['洋葱 500g', 'Onions 500g', 390],
      ['大蒜 250g', 'Garlic 250g', 690],
      ['生姜 250g', 'Ginger 250g', 590],
      ['香菇 250g', 'Shiitake mushrooms 250g', 890],
      ['鸡蛋 10枚', 'Eggs, 10', 1290],
      ['豆腐 400g', 'Tofu 400g', 350],
    ],
  },
  {
    code: 'HSH',
    category: 'household',
    taxRateBp: 1300,
    items: [
      ['抽纸 3包', 'Facial tissues, 3 packs', 1290],
      ['卷纸 10卷', 'Toilet paper, 10 rolls', 2990],
      ['湿巾 80片', 'Wet wipes, 80', 1190],
      ['厨房纸巾 2卷', 'Kitchen paper, 2 rolls', 1090],
      ['洗衣液 2kg', 'Laundry liquid 2kg', 3990],
      ['洗衣凝珠 30颗', 'Laundry pods, 30', 4990],
      ['洗洁精 1.1kg', 'Dishwashing liquid 1.1kg', 1290],
      ['消毒液 1L', 'Disinfectant 1L', 1590],
      ['垃圾袋 100只', 'Bin bags, 100', 990],
      ['保鲜膜 30m', 'Cling film 30m', 1290],
      ['保鲜袋 中号 100只', 'Food bags, medium, 100', 890],
      ['一次性筷子 50双', 'Disposable chopsticks, 50 pairs', 690],
      ['纸杯 50只', 'Paper cups, 50', 890],
      ['海绵百洁布 5片', 'Scrub sponges, 5', 690],
      ['橡胶手套 中号', 'Rubber gloves, medium', 990],
      ['拖把', 'Mop', 3990],
      ['衣架 10个', 'Clothes hangers, 10', 1590],
      ['电池 5号 4节', 'AA batteries, 4', 1990],
      ['电池 7号 4节', 'AAA batteries, 4', 1990],
      ['LED灯泡 9W', 'LED bulb 9W', 1590],
      ['蚊香 10盘', 'Mosquito coils, 10', 890],
      ['驱蚊液 100ml', 'Insect repellent 100ml', 2590],
      ['雨伞 折叠', 'Folding umbrella', 3990],
      ['打火机', 'Lighter', 200],
      ['口罩 10只', 'Face masks, 10', 990],
    ],
  },
  {
    code: 'PCR',
    category: 'personal care',
    taxRateBp: 1300,
    items: [
      ['牙膏 薄荷 120g', 'Mint toothpaste 120g', 1290],
      ['牙刷 软毛 2支', 'Soft toothbrushes, 2', 1590],
      ['漱口水 500ml', 'Mouthwash 500ml', 2990],
      ['牙线棒 50支', 'Floss picks, 50', 990],
      ['洗发水 400ml', 'Shampoo 400ml', 3990],
      ['护发素 400ml', 'Conditioner 400ml', 3990],
      ['沐浴露 720ml', 'Body wash 720ml', 3590],
      ['香皂 3块', 'Soap bars, 3', 1190],
      ['洗手液 500ml', 'Hand wash 500ml', 1590],
      ['洗面奶 100g', 'Facial cleanser 100g', 2990],
      ['护手霜 50g', 'Hand cream 50g', 1590],
      ['润唇膏', 'Lip balm', 1290],
      ['防晒霜 SPF50 40ml', 'Sunscreen SPF50 40ml', 5990],
      ['卫生巾 日用 10片', 'Sanitary pads, day, 10', 1590],
      ['剃须刀 3刀头', 'Razor, 3 blades', 2990],
      ['棉签 200支', 'Cotton buds, 200', 590],
      ['创可贴 20片', 'Adhesive bandages, 20', 890],
      ['指甲刀', 'Nail clippers', 1290],
      ['梳子', 'Comb', 990],
      ['花露水 195ml', 'Florida water 195ml', 1290],
    ],
  },
  {
    code: 'STN',
    category: 'stationery',
    taxRateBp: 1300,
    items: [
      ['中性笔 黑色 0.5mm', 'Gel pen, black, 0.5mm', 300],
      ['中性笔 红色 0.5mm', 'Gel pen, red, 0.5mm', 300],
      ['圆珠笔 蓝色 3支', 'Ballpoint pens, blue, 3', 600],
      ['铅笔 HB 10支', 'HB pencils, 10', 890],
      ['橡皮擦', 'Eraser', 200],
      ['卷笔刀', 'Pencil sharpener', 500],
      ['记号笔 黑色', 'Marker, black', 500],
      ['荧光笔 4色', 'Highlighters, 4 colours', 1290],
      ['笔记本 A5', 'Notebook A5', 890],
      ['作业本 10本', 'Exercise books, 10', 990],
      ['便利贴 3本', 'Sticky notes, 3 pads', 790],
      ['A4打印纸 500张', 'A4 copy paper, 500 sheets', 2990],
      ['文件夹 A4', 'Document folder A4', 390],
      ['订书机', 'Stapler', 1590],
      ['订书钉 1000枚', 'Staples, 1000', 300],
      ['透明胶带', 'Clear tape', 300],
      ['剪刀', 'Scissors', 990],
      ['胶水 50ml', 'Glue 50ml', 350],
      ['尺子 20cm', 'Ruler 20cm', 250],
      ['信封 10个', 'Envelopes, 10', 500],
    ],
  },
  {
    code: 'BKS',
    category: 'books & papers',
    taxRateBp: 900,
    items: [
      ['今日晨报', 'Morning newspaper', 150],
      ['周末画报', 'Weekend magazine', 1000],
      ['汉语字典 小学版', "Children's Chinese dictionary", 2990],
      ['英汉词典 袖珍本', 'Pocket English-Chinese dictionary', 3590],
      ['儿童绘本', "Children's picture book", 2500],
      ['数独游戏书', 'Sudoku puzzle book', 1800],
      ['城市地图', 'City map', 1000],
      ['家常菜谱', 'Home cooking recipes', 3900],
      ['练字字帖', 'Calligraphy copybook', 1200],
      ['日历 挂历', 'Wall calendar', 2500],
    ],
  },
];

const PREFIXES = ['690', '691', '692', '693'] as const;

function build(): Product[] {
  const products: Product[] = [];
  GROUPS.forEach((group, g) => {
    group.items.forEach(([nameZh, nameEn, priceFen], i) => {
      const n = products.length;
      // GS1 China prefix, a 4-digit "manufacturer" per category, a 5-digit item reference.
      const payload =
        (PREFIXES[n % PREFIXES.length] ?? '690') +
        String(1000 + g * 37).padStart(4, '0') +
        String(10000 + i * 7 + g).padStart(5, '0');
      products.push({
        sku: `${group.code}-${String(i + 1).padStart(3, '0')}`,
        barcode: makeEan13(payload),
        nameZh,
        nameEn,
        category: group.category,
        priceFen,
        taxRateBp: group.taxRateBp,
      });
    });
  });
  return products;
}

/** The demo catalogue, the same on every call. */
export const DEMO_PRODUCTS: readonly Product[] = Object.freeze(build());

/** Fills an empty catalogue with the demo products; returns how many were added. */
export function seedDemoCatalog(ledger: {
  productCount(): number;
  upsertProducts(products: Product[]): void;
}): number {
  if (ledger.productCount() > 0) return 0;
  ledger.upsertProducts([...DEMO_PRODUCTS]);
  return DEMO_PRODUCTS.length;
}
