/**
 * Other names readers search provinces by, keyed by slug: transliterations, the capital city (the
 * name the press often uses for the province) and former names, in Latin and Arabic script. Spelling
 * variants that the fold already joins (Basra/Basrah, Dhi Qar/Thi-Qar, البصرة/البصره) need no entry;
 * these are the names it cannot derive. A province not listed here is found by its own names only.
 */
export const PROVINCE_ALIASES: Readonly<Record<string, readonly string[]>> = {
  baghdad: ['Bagdad'],
  nineveh: ['Ninawa', 'Nainawa', 'Ninewa', 'Mosul', 'Mawsil', 'الموصل'],
  basra: ['Basrah'],
  'dhi-qar': ['Thi Qar', 'Nasiriyah', 'الناصرية'],
  babil: ['Babylon', 'Babel', 'Hilla', 'الحلة'],
  anbar: ['Ramadi', 'الرمادي'],
  kirkuk: ['Tamim', "Ta'mim", 'التأميم'],
  diyala: ['Baqubah', 'بعقوبة'],
  salahuddin: ['Salah al-Din', 'Salah ad-Din', 'Saladin', 'Tikrit', 'تكريت'],
  najaf: [],
  wasit: ['Kut', 'الكوت'],
  qadisiyah: ['Qadisiya', 'Diwaniyah', 'الديوانية'],
  karbala: ['Kerbala'],
  maysan: ['Missan', 'Misan', 'Amarah', 'العمارة'],
  muthanna: ['Samawah', 'السماوة'],
};
