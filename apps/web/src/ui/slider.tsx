import {
  Label,
  Slider as AriaSlider,
  type SliderProps as AriaSliderProps,
  SliderOutput,
  SliderThumb,
  SliderTrack,
} from 'react-aria-components'
import styles from './slider.module.css'

export type SliderProps = Omit<AriaSliderProps<number>, 'className' | 'children'> & {
  label: string
}

/** One number picked on a track (mouse, touch, or arrow keys), its value shown beside the label. */
export function Slider({ label, ...props }: SliderProps) {
  return (
    <AriaSlider {...props} className={styles.slider}>
      <div className={styles.top}>
        <Label className={styles.label}>{label}</Label>
        <SliderOutput className={styles.output} />
      </div>
      <SliderTrack className={styles.track}>
        {({ state }) => (
          <>
            <span
              className={styles.fill}
              style={{ width: `${state.getThumbPercent(0) * 100}%` }}
              aria-hidden="true"
            />
            <SliderThumb className={styles.thumb} />
          </>
        )}
      </SliderTrack>
    </AriaSlider>
  )
}
