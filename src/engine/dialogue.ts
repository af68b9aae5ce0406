/**
 * Robot lines and customer replies in the account's language, per business line and intention
 * kind, so ASR transcripts read like the call they describe. Emulator-written text: the vendor
 * publishes only one English e-commerce transcript (in "Custom API Node Data Push"), which the English lines follow.
 */
import type { AsrTurn } from '../generated/types.ts';
import type { Business, IntentionKind } from '../scenario/types.ts';
import type { Language } from './locale-profile.ts';
import { list } from './payloads/list.ts';

export interface TalkContext {
  agent: string;
  company: string;
  name: string;
  amount: string;
  currency: string;
  due: string;
  ptpAmount: string;
  ptpDate: string;
  product: string;
  orderId: string;
}

type Line = (c: TalkContext) => string;

interface Script {
  opening: Line;
  purpose: Line;
  follow: Partial<Record<IntentionKind, Line>>;
  closing: Partial<Record<IntentionKind, Line>> & { default: Line };
}

interface LanguagePack {
  scripts: Record<Exclude<Business, 'info_check'>, Script> & {
    info_check: Pick<Script, 'opening' | 'closing'>;
  };
  replies: Record<IntentionKind, string[] | ((c: TalkContext) => string[])>;
  /** Re-prompts after silence ("Hello?", "Are you there?"), each followed by `identify`. */
  hello: string[];
  /** The identity question alone, which the robot repeats after a re-prompt. */
  identify: Line;
  /** Asked a wrong person who answers the opening ("Do you know …?"). */
  wrongAsk: Line;
  silentClosing: string;
  wrongClosing: string;
  ask: (content: string) => string;
  confirm: (content: string) => string;
  yes: string;
  no: string;
  digits: string[];
  unclear: string[];
}

const EN: LanguagePack = {
  scripts: {
    collection: {
      opening: (c) => `Hello, this is ${c.agent} from ${c.company}. Am I speaking with ${c.name}?`,
      purpose: (c) =>
        `We are calling about your outstanding balance of ${c.amount} ${c.currency}, due on ${c.due}. When will you be able to pay?`,
      follow: {
        ptp: (c) => `So you will pay ${c.ptpAmount} ${c.currency} on ${c.ptpDate}, is that right?`,
        refuse: () => 'Please note that late payment adds penalties to your account. Can you pay part of it?',
        later: () => 'When would be a good time to call you back?',
        paid: () => 'Thank you. Could you tell me how you made the payment?',
      },
      closing: {
        ptp: () => 'Thank you for your commitment. Have a nice day, goodbye!',
        paid: () => 'We will check the payment on our side. Thank you, goodbye!',
        default: () => 'Thank you for your time. Goodbye!',
      },
    },
    telemarketing: {
      opening: (c) => `Hi, this is ${c.agent} from ${c.company}. Am I speaking with ${c.name}?`,
      purpose: (c) =>
        `We have a special offer on ${c.product} for our customers this week. Would you like to hear more?`,
      follow: {
        interested: () =>
          'Great! A specialist will send you the details by message today. Is this number on WhatsApp?',
        later: () => 'No problem. When is a better time to call?',
        not_interested: () => 'I understand. May I ask what would make this offer interesting for you?',
      },
      closing: {
        interested: () => 'Thank you, you will receive the details shortly. Goodbye!',
        default: () => 'Thank you for your time. Have a nice day!',
      },
    },
    ecommerce: {
      opening: (c) =>
        `This is ${c.agent}, I'm a customer service agent. We called you today to confirm your order with us so we could deliver it to you. Am I speaking with ${c.name}?`,
      purpose: (c) =>
        `You have placed an order ${c.orderId} for ${c.product} via our website. Are the above-mentioned information correct?`,
      follow: {
        confirm: () =>
          'Thank you. The order will be delivered in two to three days. Will someone be at home to receive it?',
        cancel: () => 'May I know why you would like to cancel the order?',
        later: () => 'When should we call you back to confirm?',
      },
      closing: {
        confirm: () => 'Your order is confirmed. Thank you for shopping with us. Goodbye!',
        cancel: () => 'Your order has been cancelled. Thank you. Goodbye!',
        default: () => 'Thank you for your time. Goodbye!',
      },
    },
    info_check: {
      opening: (c) =>
        `Hello, this is ${c.agent} from ${c.company}. We are calling to verify your loan application. Am I speaking with ${c.name}?`,
      closing: { default: () => 'Thank you, the verification is complete. Goodbye!' },
    },
  },
  replies: {
    ptp: (c) => [
      'Yes, speaking.',
      `I can pay ${c.ptpAmount} on ${c.ptpDate}.`,
      'Yes, that is right.',
      'Okay.',
    ],
    paid: [
      'Yes, this is me.',
      'I already paid yesterday by bank transfer.',
      'Through the bank app.',
      'Okay, thanks.',
    ],
    refuse: ['Yes.', "I can't pay right now.", 'No, please stop calling me.', 'No.'],
    later: ['Yes, who is this?', "I'm busy right now, call me later.", 'Maybe tomorrow afternoon.', 'Okay.'],
    wrong_person: ['No, wrong number.', "I don't know that person."],
    interested: ['Yes, speaking.', 'Yes, tell me more.', 'Yes, it is on WhatsApp.', 'Okay, thank you.'],
    not_interested: ['Yes.', "No thanks, I'm not interested.", "I don't need it.", 'No.'],
    confirm: ['Yes, speaking.', 'Yes, that is correct.', 'Yes, my sister will be home.', 'Thank you.'],
    cancel: ['Yes.', 'I want to cancel the order.', 'I ordered it by mistake.', 'Okay.'],
    verified: ['Yes, speaking.'],
    silent: [''],
  },
  hello: ['Hello?', 'Are you there?'],
  identify: (c) => `Am I speaking with ${c.name}?`,
  wrongAsk: (c) => `Sorry, do you know ${c.name}?`,
  silentClosing:
    'Sorry, we cannot hear you clearly. We will try to contact you later. Thank you for your time. Goodbye!',
  wrongClosing: 'Sorry for the inconvenience. Goodbye!',
  ask: (q) => `For verification, please tell me: ${q}.`,
  confirm: (q) => `${q}: is that correct?`,
  yes: 'yes',
  no: 'no',
  digits: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'],
  unclear: ['hmm wait', 'sorry what?', 'I forgot'],
};

const ID: LanguagePack = {
  scripts: {
    collection: {
      opening: (c) =>
        `Halo, selamat siang. Saya ${c.agent} dari ${c.company}. Apakah saya berbicara dengan Bapak/Ibu ${c.name}?`,
      purpose: (c) =>
        `Kami menghubungi terkait tagihan Anda sebesar ${c.amount} ${c.currency} yang jatuh tempo pada ${c.due}. Kapan Anda bisa melakukan pembayaran?`,
      follow: {
        ptp: (c) =>
          `Baik, jadi Anda akan membayar ${c.ptpAmount} ${c.currency} pada tanggal ${c.ptpDate}, benar?`,
        refuse: () => 'Mohon diperhatikan, keterlambatan akan menambah denda. Apakah bisa dibayar sebagian?',
        later: () => 'Kapan waktu yang tepat untuk kami hubungi kembali?',
        paid: () => 'Terima kasih. Pembayarannya melalui apa, Bapak/Ibu?',
      },
      closing: {
        ptp: () => 'Terima kasih atas komitmen Anda. Selamat siang.',
        paid: () => 'Kami akan cek pembayarannya. Terima kasih, selamat siang.',
        default: () => 'Terima kasih atas waktunya. Selamat siang.',
      },
    },
    telemarketing: {
      opening: (c) => `Halo, saya ${c.agent} dari ${c.company}. Apakah benar dengan Bapak/Ibu ${c.name}?`,
      purpose: (c) => `Minggu ini ada promo khusus ${c.product} untuk pelanggan kami. Apakah Anda tertarik?`,
      follow: {
        interested: () =>
          'Baik, detailnya akan kami kirim lewat WhatsApp hari ini. Apakah nomor ini terdaftar di WhatsApp?',
        later: () => 'Tidak apa-apa. Kapan waktu yang lebih baik untuk menelepon?',
        not_interested: () => 'Baik, boleh tahu alasannya?',
      },
      closing: {
        interested: () => 'Terima kasih, detailnya segera kami kirim. Selamat siang.',
        default: () => 'Terima kasih atas waktunya. Selamat siang.',
      },
    },
    ecommerce: {
      opening: (c) =>
        `Halo, saya ${c.agent} dari layanan pelanggan. Kami menelepon untuk konfirmasi pesanan Anda. Apakah benar dengan ${c.name}?`,
      purpose: (c) =>
        `Anda memesan ${c.product} dengan nomor pesanan ${c.orderId} di situs kami. Apakah data tersebut benar?`,
      follow: {
        confirm: () =>
          'Terima kasih. Pesanan akan dikirim dalam dua sampai tiga hari. Apakah ada yang di rumah untuk menerima?',
        cancel: () => 'Boleh tahu alasan pembatalannya?',
        later: () => 'Kapan kami bisa menghubungi lagi untuk konfirmasi?',
      },
      closing: {
        confirm: () => 'Pesanan Anda sudah terkonfirmasi. Terima kasih sudah berbelanja.',
        cancel: () => 'Pesanan Anda sudah dibatalkan. Terima kasih.',
        default: () => 'Terima kasih atas waktunya. Selamat siang.',
      },
    },
    info_check: {
      opening: (c) =>
        `Halo, saya ${c.agent} dari ${c.company}. Kami menelepon untuk verifikasi pengajuan pinjaman Anda. Apakah benar dengan ${c.name}?`,
      closing: { default: () => 'Terima kasih, verifikasi sudah selesai. Selamat siang.' },
    },
  },
  replies: {
    ptp: (c) => [
      'Ya, saya sendiri.',
      `Saya bisa bayar ${c.ptpAmount} tanggal ${c.ptpDate}.`,
      'Iya, benar.',
      'Oke.',
    ],
    paid: [
      'Ya, betul.',
      'Saya sudah bayar kemarin lewat transfer.',
      'Lewat m-banking.',
      'Oke, terima kasih.',
    ],
    refuse: ['Ya.', 'Saya belum bisa bayar sekarang.', 'Tidak, jangan telepon lagi.', 'Tidak.'],
    later: ['Ya, siapa ini?', 'Saya sedang sibuk, telepon nanti saja.', 'Besok sore saja.', 'Oke.'],
    wrong_person: ['Bukan, salah sambung.', 'Saya tidak kenal orang itu.'],
    interested: ['Ya, saya sendiri.', 'Boleh, jelaskan lagi.', 'Iya, ada WhatsApp.', 'Oke, terima kasih.'],
    not_interested: ['Ya.', 'Tidak, terima kasih, saya tidak tertarik.', 'Saya tidak butuh.', 'Tidak.'],
    confirm: ['Ya, saya sendiri.', 'Iya, benar.', 'Ada, adik saya di rumah.', 'Terima kasih.'],
    cancel: ['Ya.', 'Saya mau batalkan pesanannya.', 'Saya salah pesan.', 'Oke.'],
    verified: ['Ya, saya sendiri.'],
    silent: [''],
  },
  hello: ['Halo?', 'Apakah Anda masih di sana?'],
  identify: (c) => `Apakah saya berbicara dengan ${c.name}?`,
  wrongAsk: (c) => `Maaf, apakah Anda kenal dengan ${c.name}?`,
  silentClosing: 'Maaf, suara Anda tidak terdengar. Kami akan menghubungi kembali nanti. Terima kasih.',
  wrongClosing: 'Mohon maaf atas gangguannya. Selamat siang.',
  ask: (q) => `Untuk verifikasi, mohon sebutkan ${q}.`,
  confirm: (q) => `${q}, apakah benar?`,
  yes: 'ya',
  no: 'tidak',
  digits: ['nol', 'satu', 'dua', 'tiga', 'empat', 'lima', 'enam', 'tujuh', 'delapan', 'sembilan'],
  unclear: ['sebentar ya', 'apa tadi?', 'saya lupa'],
};

const ES: LanguagePack = {
  scripts: {
    collection: {
      opening: (c) => `Hola, buenas tardes. Le habla ${c.agent} de ${c.company}. ¿Hablo con ${c.name}?`,
      purpose: (c) =>
        `Le llamamos por su saldo pendiente de ${c.amount} ${c.currency}, con vencimiento el ${c.due}. ¿Cuándo podrá realizar el pago?`,
      follow: {
        ptp: (c) => `Entonces pagará ${c.ptpAmount} ${c.currency} el ${c.ptpDate}, ¿es correcto?`,
        refuse: () => 'Le recuerdo que el atraso genera intereses moratorios. ¿Podría hacer un pago parcial?',
        later: () => '¿A qué hora le podemos volver a llamar?',
        paid: () => 'Gracias. ¿Por qué medio realizó el pago?',
      },
      closing: {
        ptp: () => 'Gracias por su compromiso. Que tenga buen día.',
        paid: () => 'Verificaremos su pago. Gracias, hasta luego.',
        default: () => 'Gracias por su tiempo. Hasta luego.',
      },
    },
    telemarketing: {
      opening: (c) => `Hola, le habla ${c.agent} de ${c.company}. ¿Hablo con ${c.name}?`,
      purpose: (c) =>
        `Esta semana tenemos una promoción especial en ${c.product} para nuestros clientes. ¿Le gustaría conocerla?`,
      follow: {
        interested: () =>
          '¡Excelente! Le enviaremos los detalles por WhatsApp hoy mismo. ¿Este número tiene WhatsApp?',
        later: () => 'No hay problema. ¿Cuándo es mejor momento para llamarle?',
        not_interested: () => 'Entiendo. ¿Me podría decir por qué?',
      },
      closing: {
        interested: () => 'Gracias, en breve recibirá la información. Hasta luego.',
        default: () => 'Gracias por su tiempo. Que tenga buen día.',
      },
    },
    ecommerce: {
      opening: (c) =>
        `Hola, le habla ${c.agent} de atención a clientes. Le llamamos para confirmar su pedido. ¿Hablo con ${c.name}?`,
      purpose: (c) =>
        `Usted realizó el pedido ${c.orderId} de ${c.product} en nuestro sitio web. ¿Es correcta la información?`,
      follow: {
        confirm: () =>
          'Gracias. Su pedido llegará en dos o tres días. ¿Habrá alguien en casa para recibirlo?',
        cancel: () => '¿Me podría decir por qué desea cancelar el pedido?',
        later: () => '¿Cuándo le podemos llamar para confirmar?',
      },
      closing: {
        confirm: () => 'Su pedido está confirmado. Gracias por su compra.',
        cancel: () => 'Su pedido ha sido cancelado. Gracias.',
        default: () => 'Gracias por su tiempo. Hasta luego.',
      },
    },
    info_check: {
      opening: (c) =>
        `Hola, le habla ${c.agent} de ${c.company}. Le llamamos para verificar su solicitud de crédito. ¿Hablo con ${c.name}?`,
      closing: { default: () => 'Gracias, la verificación ha concluido. Hasta luego.' },
    },
  },
  replies: {
    ptp: (c) => ['Sí, soy yo.', `Puedo pagar ${c.ptpAmount} el ${c.ptpDate}.`, 'Sí, correcto.', 'Está bien.'],
    paid: ['Sí, soy yo.', 'Ya pagué ayer por transferencia.', 'Por la app del banco.', 'Gracias.'],
    refuse: ['Sí.', 'Ahorita no puedo pagar.', 'No, ya no me llamen.', 'No.'],
    later: ['Sí, ¿quién habla?', 'Estoy ocupado, llámeme más tarde.', 'Mañana en la tarde.', 'Está bien.'],
    wrong_person: ['No, número equivocado.', 'No conozco a esa persona.'],
    interested: ['Sí, soy yo.', 'Sí, cuénteme más.', 'Sí, tiene WhatsApp.', 'Gracias.'],
    not_interested: ['Sí.', 'No gracias, no me interesa.', 'No lo necesito.', 'No.'],
    confirm: ['Sí, soy yo.', 'Sí, es correcto.', 'Sí, mi hermana estará en casa.', 'Gracias.'],
    cancel: ['Sí.', 'Quiero cancelar el pedido.', 'Lo pedí por error.', 'Está bien.'],
    verified: ['Sí, soy yo.'],
    silent: [''],
  },
  hello: ['¿Bueno?', '¿Sigue ahí?'],
  identify: (c) => `¿Hablo con ${c.name}?`,
  wrongAsk: (c) => `Disculpe, ¿conoce usted a ${c.name}?`,
  silentClosing:
    'Disculpe, no le escuchamos bien. Intentaremos comunicarnos más tarde. Gracias por su tiempo.',
  wrongClosing: 'Disculpe la molestia. Hasta luego.',
  ask: (q) => `Para verificar, ¿podría indicarme ${q}?`,
  confirm: (q) => `${q}, ¿es correcto?`,
  yes: 'sí',
  no: 'no',
  digits: ['cero', 'uno', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve'],
  unclear: ['mmm espere', '¿perdón?', 'no me acuerdo'],
};

const ZH: LanguagePack = {
  ...EN,
  scripts: {
    ...EN.scripts,
    collection: {
      ...EN.scripts.collection,
      opening: (c) => `您好，我是${c.company}的${c.agent}，请问是${c.name}吗？`,
      purpose: (c) => `您有一笔${c.amount}${c.currency}的欠款，已于${c.due}到期，请问什么时候可以还款？`,
    },
  },
  replies: {
    ...EN.replies,
    ptp: (c) => ['是我。', `我${c.ptpDate}可以还${c.ptpAmount}。`, '对的。', '好的。'],
  },
  hello: ['喂？', '您还在吗？'],
  identify: (c) => `请问是${c.name}吗？`,
  wrongAsk: (c) => `对不起，请问您认识${c.name}吗？`,
  yes: '是',
  no: '不是',
  digits: ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'],
};

export const PACKS: Record<Language, LanguagePack> = { en: EN, id: ID, es: ES, zh: ZH };

/** One ASR turn (the asr_result[] item); `time` is filled in once the call's duration is known. */
export type Turn = AsrTurn;

/**
 * Turns the robot plays back to back, logged at one offset: the push page's example pairs a
 * re-prompt ("Hello?") with the question it repeats, and an all-empty turn with the next line.
 */
export type Beat = Turn[];

/** A turn with its time still to be set. */
export const turn = (robot: string, customer: string): Turn => ({
  time: '',
  robottext: robot,
  text: customer,
});

/**
 * talk_round of an answered call: the turns the customer spoke in, at least 1 (the greeting).
 * The push page's example has 8 turns, one reply and talk_round 1.
 */
export function talkRoundOf(beats: readonly Beat[]): number {
  let spoken = 0;
  for (const b of beats) for (const t of b) if (t.text !== '') spoken++;
  return Math.max(1, spoken);
}

function replies(pack: LanguagePack, kind: IntentionKind, c: TalkContext): string[] {
  const r = pack.replies[kind];
  return typeof r === 'function' ? r(c) : r;
}

/**
 * A callee who never speaks: the greeting, `reprompts` re-prompts (each with the identity question
 * again, as in the push page's "No Voice" example, at most one per distinct re-prompt line), then
 * the robot gives up.
 */
function silentCall(language: Language, opening: string, reprompts: number, c: TalkContext): Beat[] {
  const pack = PACKS[language];
  const beats = list<Beat>();
  beats.push([turn(opening, '')]);
  const n = Math.min(reprompts, pack.hello.length);
  for (let i = 0; i < n; i++) beats.push([turn(pack.hello[i]!, ''), turn(pack.identify(c), '')]);
  beats.push([turn(pack.silentClosing, '')]);
  return beats;
}

/**
 * A non-Info Check call as its script runs: each distinct robot line once with the reply to it,
 * then the closing. At most `rounds` replies; the script's length caps them (opening, purpose,
 * the intention's follow-up and an answer to the closing), so no line is said twice to pad.
 */
export function conversation(
  language: Language,
  business: Exclude<Business, 'info_check'>,
  kind: IntentionKind,
  rounds: number,
  reprompts: number,
  c: TalkContext,
): Beat[] {
  const pack = PACKS[language];
  const s = pack.scripts[business];
  if (kind === 'silent') return silentCall(language, s.opening(c), reprompts, c);
  const said = replies(pack, kind, c);
  const beats = list<Beat>();
  if (kind === 'wrong_person') {
    beats.push([turn(s.opening(c), said[0]!)]);
    if (rounds > 1 && said.length > 1) beats.push([turn(pack.wrongAsk(c), said[1]!)]);
    beats.push([turn(pack.wrongClosing, '')]);
    return beats;
  }
  const follow = s.follow[kind];
  const lines = follow ? [s.opening, s.purpose, follow] : [s.opening, s.purpose];
  const n = Math.max(1, Math.min(rounds, lines.length + 1, said.length));
  for (let i = 0; i < Math.min(n, lines.length); i++) beats.push([turn(lines[i]!(c), said[i]!)]);
  // A last reply answers the closing ("Okay.") when the draw asks for more rounds than lines.
  const closing = (s.closing[kind] ?? s.closing.default)(c);
  beats.push([turn(closing, n > lines.length ? said[lines.length]! : '')]);
  return beats;
}

/** Spoken form of a value ("1101" → "one one zero one", letters spelled out lowercase). */
export function spoken(language: Language, value: string): string {
  const digits = PACKS[language].digits;
  // Joined once: concatenating word by word left a chain of cons strings per answer, kept alive
  // in every payload (garbage-collector work) and flattened again by JSON.stringify.
  const words: string[] = new Array<string>(value.length);
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    words[i] =
      code >= 48 && code <= 57
        ? digits[code - 48]!
        : code >= 65 && code <= 90
          ? String.fromCharCode(code + 32)
          : value[i]!.toLowerCase();
  }
  return words.join(' ');
}
