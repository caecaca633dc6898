/**
 * The iraq-2023 cycle and the 15 provinces that voted on 18 December 2023 (domain-facts.md).
 * Seats add up to 285 only with Baghdad 53 and Maysan 13 (both marked uncertain there): they are
 * data an editor can correct, never logic.
 */
export const IRAQ_2023_CYCLE = {
  name: 'iraq-2023',
  electionDate: '2023-12-18',
  deadline: '2024-02-09',
  deadlineBasis:
    'Reported by Shafaq News as the deadline to select governors and establish functioning councils; ' +
    'Law 21 of 2008, Art. 7 would give each council its own date (first session within 15 days of ratification, governor within 30 days of it).',
  timezone: 'Asia/Baghdad',
  tierByDays: 21,
  candidateByDays: 7,
} as const;

export interface ProvinceSeed {
  slug: string;
  code: string;
  name: string;
  nameAr: string;
  seats: number;
}

export const IRAQ_2023_PROVINCES: readonly ProvinceSeed[] = [
  { slug: 'baghdad', code: 'IQ-BG', name: 'Baghdad', nameAr: 'بغداد', seats: 53 },
  { slug: 'nineveh', code: 'IQ-NI', name: 'Nineveh', nameAr: 'نينوى', seats: 29 },
  { slug: 'basra', code: 'IQ-BA', name: 'Basra', nameAr: 'البصرة', seats: 23 },
  { slug: 'dhi-qar', code: 'IQ-DQ', name: 'Dhi Qar', nameAr: 'ذي قار', seats: 18 },
  { slug: 'babil', code: 'IQ-BB', name: 'Babil', nameAr: 'بابل', seats: 18 },
  { slug: 'anbar', code: 'IQ-AN', name: 'Anbar', nameAr: 'الأنبار', seats: 16 },
  { slug: 'kirkuk', code: 'IQ-KI', name: 'Kirkuk', nameAr: 'كركوك', seats: 16 },
  { slug: 'diyala', code: 'IQ-DI', name: 'Diyala', nameAr: 'ديالى', seats: 15 },
  { slug: 'salahuddin', code: 'IQ-SD', name: 'Salahuddin', nameAr: 'صلاح الدين', seats: 15 },
  { slug: 'najaf', code: 'IQ-NA', name: 'Najaf', nameAr: 'النجف', seats: 15 },
  { slug: 'wasit', code: 'IQ-WA', name: 'Wasit', nameAr: 'واسط', seats: 15 },
  { slug: 'qadisiyah', code: 'IQ-QA', name: 'Al-Qadisiyah', nameAr: 'القادسية', seats: 14 },
  { slug: 'karbala', code: 'IQ-KA', name: 'Karbala', nameAr: 'كربلاء', seats: 13 },
  { slug: 'maysan', code: 'IQ-MA', name: 'Maysan', nameAr: 'ميسان', seats: 13 },
  { slug: 'muthanna', code: 'IQ-MU', name: 'Muthanna', nameAr: 'المثنى', seats: 12 },
];
