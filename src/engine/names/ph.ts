/**
 * Philippine names, companies and places for the en_PH locale (faker has no Filipino locale).
 *
 * Sources:
 * - Given names: the National Statistics Office / Philippine Statistics Authority rankings of
 *   names given to registered births (2006 top ten reported by GMA News, "Joshua at Angel
 *   pinakapopular na pangalan sa bata noong 2006"; 2011 list reported by GMA News, "John Paul,
 *   Althea most popular names for Pinoy babies"; the PSA's 2017 infographic reported by Smart
 *   Parenting, "20 Most Popular Baby Names in the Philippines"), with the names of adults born in
 *   the 1970s–1990s from the NSO-based "Most Popular Filipino Baby Names" list (most-popular.net)
 *   and the traditional Spanish-origin names it and cebu-philippines.net cite (Jose, Juan, Maria…).
 * - Surnames: the most common Philippine surnames (Forebears, "Most Common Last Names in the
 *   Philippines": Santos, Reyes, Cruz, Bautista, Ocampo, Garcia, Mendoza, Torres, Tomas, Andrada,
 *   Castillo, Flores, Villanueva, Ramos, Castro, Rivera, Aquino, Navarro, Salazar, Mercado, …),
 *   with the frequent ones named alongside them (Dela Cruz, Gonzales, Fernandez, Santiago, …).
 * - Places: real cities and provinces (PSA Philippine Standard Geographic Code), street names of
 *   national heroes found in most towns, and the most frequent barangay names (San Isidro, San
 *   Jose, Poblacion, Santo Niño, San Roque…).
 * Company names are built from common Philippine business-name patterns ("… Lending Corp.",
 * "… Trading") around surnames and words; they are not real companies.
 */

export const PH_MALE = [
  'Joshua', 'Christian', 'John Paul', 'Justine', 'John Mark', 'Adrian', 'Angelo', 'John Michael',
  'James', 'John Lloyd', 'Justin', 'Renz', 'Clarence', 'John Carl', 'Kevin', 'Richard', 'Ezekiel',
  'Jared', 'Nathaniel', 'Jacob', 'Ethan', 'Gabriel', 'Daniel', 'Michael', 'Ronald',
  'Ryan', 'Joseph', 'Joel', 'Jeffrey', 'Marlon', 'Noel', 'Jonathan', 'Mark', 'Jose', 'Juan',
  'Antonio', 'Rodrigo', 'Mario', 'Eduardo', 'Ramon', 'Roberto', 'Ricardo', 'Rogelio', 'Rolando',
  'Arnel', 'Jerome', 'Carlo', 'Paolo', 'Francis', 'Vincent', 'Rafael', 'Miguel', 'Emmanuel',
] as const; // prettier-ignore

export const PH_FEMALE = [
  'Angel', 'Nicole', 'Angelica', 'Angela', 'Jasmine', 'Mary Joy', 'Kimberly', 'Mariel',
  'Mary Grace', 'Princess', 'Althea', 'Jessa Mae', 'Rhea Mae', 'Mary Rose', 'Kyla', 'April Joy',
  'Jane', 'Rhian', 'Ashley', 'Sarah', 'Maricel', 'Michelle', 'Jennifer', 'Janice', 'Jocelyn',
  'Catherine', 'Mary Anne', 'Rowena', 'Grace', 'Maria', 'Dolores', 'Rosario', 'Teresita',
  'Lorna', 'Marites', 'Cristina', 'Kristine', 'Joy', 'Lovely', 'Precious', 'Camille', 'Patricia',
  'Trisha Mae', 'Andrea', 'Bea', 'Erlinda', 'Marilou', 'Theresa',
] as const; // prettier-ignore

export const PH_SURNAMES = [
  'Santos', 'Reyes', 'Cruz', 'Bautista', 'Ocampo', 'Garcia', 'Mendoza', 'Torres', 'Tomas',
  'Andrada', 'Castillo', 'Flores', 'Villanueva', 'Ramos', 'Castro', 'Rivera', 'Aquino', 'Navarro',
  'Salazar', 'Mercado', 'Dela Cruz', 'Gonzales', 'Fernandez', 'Rodriguez', 'Santiago', 'Pineda',
  'David', 'Morales', 'Lopez', 'Perez', 'Sanchez', 'Gomez', 'Del Rosario', 'De Leon', 'Domingo',
  'Soriano', 'Gutierrez', 'Manalo', 'Pascual', 'Dizon', 'Valdez', 'Aguilar', 'Villegas', 'Hernandez',
  'Mariano', 'Panganiban', 'Magbanua', 'Dimaculangan', 'Macaraeg', 'Lacson', 'Tan', 'Lim',
] as const; // prettier-ignore

export const PH_CITIES = [
  'Quezon City', 'Manila', 'Caloocan', 'Davao City', 'Cebu City', 'Zamboanga City', 'Taguig',
  'Antipolo', 'Pasig', 'Cagayan de Oro', 'Parañaque', 'Dasmariñas', 'Valenzuela', 'Bacoor',
  'General Santos', 'Las Piñas', 'Makati', 'San Jose del Monte', 'Bacolod', 'Muntinlupa',
  'Calamba', 'Marikina', 'Iloilo City', 'Pasay', 'Mandaluyong', 'Baguio', 'Angeles', 'Lapu-Lapu',
  'Imus', 'Tarlac City', 'Batangas City', 'Lipa', 'Butuan', 'Iligan', 'Tacloban', 'Naga',
  'Legazpi', 'Olongapo', 'San Fernando', 'Mandaue', 'Santa Rosa', 'Biñan', 'Malolos', 'Dumaguete',
] as const; // prettier-ignore

const STREETS = [
  'Rizal', 'Mabini', 'Bonifacio', 'Luna', 'Del Pilar', 'Burgos', 'Aguinaldo', 'Quezon', 'Roxas',
  'Magsaysay', 'Jacinto', 'Silang', 'Lapu-Lapu', 'Osmeña', 'Sampaguita', 'Narra', 'Acacia',
  'Mabuhay', 'Kalayaan', 'Maharlika',
] as const; // prettier-ignore

const BARANGAYS = [
  'San Isidro', 'San Jose', 'Poblacion', 'Santo Niño', 'San Roque', 'San Antonio', 'San Vicente',
  'Santa Cruz', 'San Miguel', 'San Pedro', 'Bagong Silang', 'Mabini', 'Del Pilar', 'Malinis',
] as const; // prettier-ignore

const BUSINESS_WORDS = [
  'Golden', 'Pinoy', 'Bayanihan', 'Mabuhay', 'Tagumpay', 'Pag-asa', 'Sampaguita', 'Perlas',
  'Masagana', 'Kabayan', 'Silangan', 'Luzviminda', 'Bagong Araw', 'Maharlika',
] as const; // prettier-ignore

/** Business-name endings, as SEC and DTI registrations spell them. */
const COMPANY_ENDINGS = [
  'Lending Corp.', 'Lending Inc.', 'Finance Corp.', 'Credit Corp.', 'Trading', 'Enterprises',
  'Marketing Corp.', 'Holdings Inc.', 'Pawnshop', 'Microfinance Inc.', 'Credit Cooperative',
] as const; // prettier-ignore

interface Pick {
  pick<T>(items: readonly T[]): T;
  int(min: number, max: number): number;
  chance(p: number): boolean;
}

/** "Santos Lending Corp.", "Golden Perlas Trading", "Reyes-Cruz Enterprises". */
export function phCompany(r: Pick): string {
  const end = r.pick(COMPANY_ENDINGS);
  const kind = r.int(0, 2);
  if (kind === 0) return `${r.pick(PH_SURNAMES)} ${end}`;
  if (kind === 1) return `${r.pick(BUSINESS_WORDS)} ${end}`;
  return `${r.pick(PH_SURNAMES)}-${r.pick(PH_SURNAMES)} ${end}`;
}

/** "123 Rizal St., Brgy. San Isidro, Quezon City". */
export function phStreetAddress(r: Pick): string {
  const kind = r.chance(0.5) ? 'St.' : r.pick(['Ave.', 'Road', 'Extension']);
  return `${r.int(1, 999)} ${r.pick(STREETS)} ${kind}, Brgy. ${r.pick(BARANGAYS)}, ${r.pick(PH_CITIES)}`;
}
