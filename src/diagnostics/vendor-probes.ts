import type { SttProvider } from '../speech/stt';
import type { TtsProvider } from '../speech/tts';
import type { InsideCheck } from './report';

/** Recognition: the key (the provider's own startup check), then the model and language calls use. */
export async function probeSpeech(stt: SttProvider | null, language: string): Promise<InsideCheck[]> {
  if (!stt) {
    const saw = 'DEEPGRAM_API_KEY is not set: callers answer on the keypad';
    return [
      { id: 'speech.key', title: 'recognition key', status: 'skip', saw, fix: 'set DEEPGRAM_API_KEY for voice answers (keypad answers work without it)' },
      { id: 'speech.model', title: `recognition model for ${language}`, status: 'skip', saw },
    ];
  }
  const key = await stt.check();
  if (!key.ok) {
    const fix = key.retryable
      ? 'check that the bridge can reach Deepgram (egress firewall, DNS, proxy; DEEPGRAM_URL if self-hosted)'
      : 'set DEEPGRAM_API_KEY to a valid key (Deepgram console → API keys) and restart the bridge';
    return [
      { id: 'speech.key', title: 'recognition key', status: 'fail', saw: key.reason, fix },
      { id: 'speech.model', title: `recognition model for ${language}`, status: 'skip', saw: 'not checked: the key check failed' },
    ];
  }
  const keyCheck: InsideCheck = { id: 'speech.key', title: 'recognition key', status: 'pass', saw: `${stt.name} accepted the key` };
  if (!stt.checkModel) return [keyCheck, { id: 'speech.model', title: `recognition model for ${language}`, status: 'skip', saw: `${stt.name} cannot list its models` }];
  const model = await stt.checkModel();
  return [
    keyCheck,
    model.ok
      ? { id: 'speech.model', title: `recognition model for ${language}`, status: 'pass', saw: `${stt.name} has a streaming model for ${language}` }
      : { id: 'speech.model', title: `recognition model for ${language}`, status: 'fail', saw: model.reason, fix: `Arabic is on nova-3 only: check STT_LANGUAGE (${language}) and that the Deepgram project may use nova-3` },
  ];
}

/** The cloud voice's key and voice id (ElevenLabs); the embedded voice needs neither. */
export async function probeVoice(tts: TtsProvider | undefined): Promise<InsideCheck> {
  const title = 'cloud voice key and voice id';
  if (!tts?.check) return { id: 'voice', title, status: 'skip', saw: 'no cloud voice configured (TTS_PROVIDER=espeak): the embedded voice needs no key' };
  const check = await tts.check();
  if (check.ok) return { id: 'voice', title, status: 'pass', saw: `${tts.name} accepted the key and knows voice ${tts.voice}` };
  const fix =
    check.code === 'unauthorized'
      ? 'set ELEVENLABS_API_KEY to a valid key (ElevenLabs → API keys); until then the embedded voice speaks every prompt'
      : check.code === 'voice_not_found'
        ? 'set ELEVENLABS_VOICE_ID to a voice in this account\'s voice library (ElevenLabs → Voices → ID)'
        : 'check that the bridge can reach ElevenLabs (egress firewall, DNS; ELEVENLABS_URL if set)';
  return { id: 'voice', title, status: 'fail', saw: check.reason, fix };
}
